"""CI configurations and the branch-protection README that `bedcap init` writes.

The pipelines run the same gate everywhere: `bedcap check --base --head` on every pull or
merge request (the required check), `bedcap check` on a schedule (the state), and the
dashboard published from main. Expressions from the forge reach the shell only through
environment variables, never pasted into a command line.
"""

from __future__ import annotations

GITHUB_WORKFLOW = ".github/workflows/bedcap.yml"
GITLAB_CI = ".gitlab-ci.yml"
README = "README.md"

GITHUB = """\
# Gegenereerd door 'bedcap init'. De poort van deze datarepository: zet de job
# "bedcap check (wijziging)" als verplichte check op main (zie README.md).
name: bedcap

on:
  pull_request:
    branches: [main]
  push:
    branches: [main]
  schedule:
    # Werkdagen na de deadline van 12:00 (GitHub rekent in UTC).
    - cron: "30 11 * * 1-5"
  workflow_dispatch:

permissions:
  contents: read

env:
  # Welke bedcap de poort draait; zet een vaste versie zodat de regels niet ongemerkt
  # veranderen, bijvoorbeeld "bedcap==0.1.0".
  BEDCAP_PAKKET: bedcap

jobs:
  wijziging:
    name: bedcap check (wijziging)
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: bedcap installeren
        run: python -m pip install "$BEDCAP_PAKKET"
      - name: Wijziging controleren (per commit, met handtekeningen)
        env:
          BASE: ${{ github.event.pull_request.base.sha }}
          HEAD: ${{ github.event.pull_request.head.sha }}
        run: bedcap check --base "$BASE" --head "$HEAD" --format github

  stand:
    name: bedcap check (stand)
    if: github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: bedcap installeren
        run: python -m pip install "$BEDCAP_PAKKET"
      - name: Actualiteit en volledigheid van de aanlevering
        run: bedcap check --format github

  publiceren:
    name: dashboard publiceren
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: bedcap installeren
        run: python -m pip install "$BEDCAP_PAKKET"
      - name: Data valideren
        run: bedcap validate --format github
      - name: Dashboard bouwen
        run: bedcap dashboard --uit public
      - uses: actions/upload-pages-artifact@v3
        with:
          path: public
      - id: deployment
        uses: actions/deploy-pages@v4
"""

GITLAB = """\
# Gegenereerd door 'bedcap init'. De poort van deze datarepository: zet "Pipelines must
# succeed" aan voor merge requests naar main (zie README.md).
variables:
  # Welke bedcap de poort draait; zet een vaste versie, bijvoorbeeld "bedcap==0.1.0".
  BEDCAP_PAKKET: bedcap

default:
  image: python:3.11-slim
  before_script:
    - apt-get update -qq && apt-get install -y -qq git openssh-client
    - python -m pip install "$BEDCAP_PAKKET"

stages:
  - controle
  - publicatie

wijziging:
  stage: controle
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  variables:
    GIT_DEPTH: "0"
  script:
    - bedcap check --base "$CI_MERGE_REQUEST_DIFF_BASE_SHA" --head "$CI_COMMIT_SHA"

stand:
  stage: controle
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"
  script:
    - bedcap check

pages:
  stage: publicatie
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == "push"
  script:
    - bedcap validate
    - bedcap dashboard --uit public
  artifacts:
    paths:
      - public
"""

README_TEXT = """\
# Datarepository Dashboard Capaciteit Beveiligde Bedden

Deze repository bevat de gedeelde data van het dashboard: de registers (LCBB), de
locaties, dagelijkse snapshots, financiering en logboekexports van elke aanbieder. Elke
aanbieder schrijft alleen zijn eigen deel; `bedcap check` is de poort die dat afdwingt.

## De poort aanzetten

Zonder deze instellingen is de poort een advies. Zet ze aan vóór de eerste aanbieder
meedoet.

### GitHub (Settings → Branches → Branch protection rule voor `main`)

- **Require a pull request before merging**, met **Require review from Code Owners**.
  Maak `.github/CODEOWNERS` met `bedcap access codeowners --uit .github/CODEOWNERS`
  (opnieuw na elke wijziging van `data/deelnemers.yaml`).
- **Require status checks to pass**: kies `bedcap check (wijziging)`; zet ook
  **Require branches to be up to date** aan.
- **Require signed commits**: de poort controleert de handtekening zelf tegen
  `data/deelnemers.yaml` van de basis; deze instelling houdt ongetekende merges buiten.
- **Do not allow bypassing the above settings**; **Allow force pushes** en **Allow
  deletions** uit.
- Settings → Rules → Rulesets: een tweede ruleset op alle andere takken en tags met
  **Restrict creations**, zodat niemand refs pusht die de poort niet beoordeelt.
- Settings → Pages: bron **GitHub Actions**, voor het dashboard.
- Settings → Actions → General: **Read repository contents** als standaardrechten.

### GitLab (Settings → Repository → Protected branches, en Merge requests)

- `main` beschermd: **Allowed to push and merge: No one** (alleen via merge requests),
  **Allowed to force push** uit, **Code owner approval** aan. Maak `.gitlab/CODEOWNERS`
  met `bedcap access codeowners --gitlab --uit .gitlab/CODEOWNERS`.
- Merge requests: **Pipelines must succeed** aan.
- Push rules: **Reject unsigned commits** aan.
- Protected tags: `*` met **Allowed to create: No one**; push rules **Branch name**: alleen
  wat `toegestane_refs` in `data/bedcap.toml` toestaat.
- Een schedule (CI/CD → Schedules) op werkdagen na 12:00 voor de job `stand`.

### Een eigen git-server

`bedcap hook install /pad/naar/deze-repository.git` installeert een pre-receive-hook die
dezelfde regels toepast: een push die ze breekt, wordt geweigerd met de bevindingen als
`remote:`-regels. Alleen de beschermde tak (`hoofdtak`, standaard `main`) groeit, en
alleen met fast-forwards; verwijderen, `refs/replace/`, `refs/notes/` en andere refs dan
`toegestane_refs` worden geweigerd. De hook zet ook `receive.denyNonFastForwards` en
`receive.denyDeletes` aan. Installeer de hook nadat de beginstand is gepusht.

## Dagelijks

Aanbieders leveren elke werkdag aan met `bedcap submit` (zie de documentatie van bedcap);
`bedcap check` laat de stand van de aanlevering zien, `bedcap available` waar een bed vrij
kan zijn. Dit is geen plaatsingsinstrument: de ontvangende aanbieder beslist.
"""

FILES = {GITHUB_WORKFLOW: GITHUB, GITLAB_CI: GITLAB, README: README_TEXT}
