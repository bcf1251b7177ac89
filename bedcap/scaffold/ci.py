"""CI configurations and the branch-protection README that `bedcap init` writes.

The pipelines run the same gate everywhere: `bedcap check --base --head` on every pull or
merge request (the required check), `bedcap check` on a schedule (the state), and the
dashboard built from main: kept as a CI artifact, or published on Pages only when asked
(`bedcap init --publiceer`, since a Pages site is public on most plans). The gate installs
exactly one pinned requirement (`--pakket`, scaffold/pakket.py). Hardened (issue 17): actions
pinned by commit SHA, no default token rights (each job asks for what it needs),
`persist-credentials: false`, one publication at a time; expressions from the forge reach
the shell only through environment variables, never pasted into a command line.
"""

from __future__ import annotations

import json

GITHUB_WORKFLOW = ".github/workflows/bedcap.yml"
GITLAB_CI = ".gitlab-ci.yml"
README = "README.md"

# Actions pinned by the commit of a release (the comment names the release): a tag can
# be moved, a commit cannot. Update them together, deliberately.
ACTIONS = {
    "checkout": "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2",
    "setup-python": "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065 # v5.6.0",
    "upload-artifact": "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2",
    "upload-pages-artifact": (
        "actions/upload-pages-artifact@56afc609e74202658d3ffba0e8f6dda462b719fa # v3.0.1"
    ),
    "deploy-pages": "actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e # v4.0.5",
}

_GITHUB_HEAD = """\
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

# Geen rechten tenzij een job ze vraagt.
permissions: {}

# Per branch één run tegelijk; een nieuwere push in een pull request vervangt de oude.
concurrency:
  group: bedcap-${{ github.ref }}
  cancel-in-progress: ${{ github.event_name == 'pull_request' }}

env:
  # Welke bedcap de poort draait: één vastgezette pip-vereiste, zodat de regels niet
  # ongemerkt veranderen (een andere: 'bedcap init --pakket' of pas deze regel aan).
  BEDCAP_PAKKET: @PAKKET@

jobs:
  wijziging:
    name: bedcap check (wijziging)
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: @checkout@
        with:
          fetch-depth: 0
          persist-credentials: false
      - uses: @setup-python@
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
    permissions:
      contents: read
    steps:
      - uses: @checkout@
        with:
          persist-credentials: false
      - uses: @setup-python@
        with:
          python-version: "3.11"
      - name: bedcap installeren
        run: python -m pip install "$BEDCAP_PAKKET"
      - name: Actualiteit en volledigheid van de aanlevering
        run: bedcap check --format github --herinneringen herinneringen
      # Per aanbieder die te laat is één bericht (voor een issue of een mail).
      - if: always()
        uses: @upload-artifact@
        with:
          name: herinneringen
          path: herinneringen
          if-no-files-found: ignore
          retention-days: 7
"""

_GITHUB_ARTIFACT = """
  dashboard:
    name: dashboard bouwen
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    permissions:
      contents: read
    concurrency:
      group: dashboard
      cancel-in-progress: true
    steps:
      - uses: @checkout@
        with:
          persist-credentials: false
      - uses: @setup-python@
        with:
          python-version: "3.11"
      - name: bedcap installeren
        run: python -m pip install "$BEDCAP_PAKKET"
      - name: Data valideren
        run: bedcap validate --format github
      - name: Dashboard bouwen
        run: bedcap dashboard --uit dashboard
      # Alleen te downloaden door wie deze repository kan lezen (zie README.md).
      - uses: @upload-artifact@
        with:
          name: dashboard
          path: dashboard
          retention-days: 30
"""

_GITHUB_PAGES = """
  publiceren:
    name: dashboard publiceren
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pages: write # het dashboard op Pages zetten
      id-token: write # deploy-pages bewijst met een OIDC-token wie publiceert
    # Eén publicatie tegelijk; een lopende wordt afgemaakt, niet afgebroken.
    concurrency:
      group: pages
      cancel-in-progress: false
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - uses: @checkout@
        with:
          persist-credentials: false
      - uses: @setup-python@
        with:
          python-version: "3.11"
      - name: bedcap installeren
        run: python -m pip install "$BEDCAP_PAKKET"
      - name: Data valideren
        run: bedcap validate --format github
      - name: Dashboard bouwen
        run: bedcap dashboard --uit public
      - uses: @upload-pages-artifact@
        with:
          path: public
      - id: deployment
        uses: @deploy-pages@
"""

_GITLAB_HEAD = """\
# Gegenereerd door 'bedcap init'. De poort van deze datarepository: zet "Pipelines must
# succeed" aan voor merge requests naar main (zie README.md).
variables:
  # Welke bedcap de poort draait: één vastgezette pip-vereiste (bedcap init --pakket).
  BEDCAP_PAKKET: @PAKKET@

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
  # De bevindingen ook in het merge request: Code Quality op de diff, en als testrapport.
  after_script:
    - bedcap check --base "$CI_MERGE_REQUEST_DIFF_BASE_SHA" --head "$CI_COMMIT_SHA"
      --format gitlab > gl-code-quality.json || true
    - bedcap check --base "$CI_MERGE_REQUEST_DIFF_BASE_SHA" --head "$CI_COMMIT_SHA"
      --format junit > bedcap-junit.xml || true
  artifacts:
    when: always
    reports:
      codequality: gl-code-quality.json
      junit: bedcap-junit.xml

stand:
  stage: controle
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"
  script:
    - bedcap check --herinneringen herinneringen
  after_script:
    - bedcap check --format gitlab > gl-code-quality.json || true
    - bedcap check --format junit > bedcap-junit.xml || true
  artifacts:
    when: always
    # Per aanbieder die te laat is één bericht (voor een issue of een mail).
    paths:
      - herinneringen
    expire_in: 7 days
    reports:
      codequality: gl-code-quality.json
      junit: bedcap-junit.xml
"""

_GITLAB_ARTIFACT = """
dashboard:
  stage: publicatie
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == "push"
  resource_group: dashboard
  script:
    - bedcap validate
    - bedcap dashboard --uit dashboard
  # Alleen te downloaden door wie dit project kan lezen (zie README.md).
  artifacts:
    name: dashboard
    paths:
      - dashboard
    expire_in: 30 days
"""

_GITLAB_PAGES = """
pages:
  stage: publicatie
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == "push"
  # Eén publicatie tegelijk.
  resource_group: pages
  script:
    - bedcap validate
    - bedcap dashboard --uit public
  artifacts:
    paths:
      - public
"""


def _fill(text: str, pakket: str) -> str:
    """Put the pinned requirement (as a YAML string) and the pinned actions in."""
    text = text.replace("@PAKKET@", json.dumps(pakket))
    for name, ref in ACTIONS.items():
        text = text.replace(f"@{name}@", ref)
    return text


def github(pakket: str, *, publiceer: bool = False) -> str:
    """The GitHub Actions workflow: the gate, the state, the dashboard (Pages if asked)."""
    return _fill(_GITHUB_HEAD + (_GITHUB_PAGES if publiceer else _GITHUB_ARTIFACT), pakket)


def gitlab(pakket: str, *, publiceer: bool = False) -> str:
    """The GitLab CI configuration, with the same jobs."""
    return _fill(_GITLAB_HEAD + (_GITLAB_PAGES if publiceer else _GITLAB_ARTIFACT), pakket)


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

@DASHBOARD@
## Dagelijks

Een aanbieder richt zijn kloon één keer in met `bedcap setup --aanbieder <id> --sleutel
~/.ssh/id_ed25519` (textconv, ondertekenen, controle van de sleutel in
`data/deelnemers.yaml`, volledige geschiedenis); het zegt wat nog ontbreekt.
Aanbieders leveren elke werkdag aan met `bedcap submit` (zie de documentatie van bedcap);
`bedcap check` laat de stand van de aanlevering zien, `bedcap available` waar een bed vrij
kan zijn. Dit is geen plaatsingsinstrument: de ontvangende aanbieder beslist.
"""

_ZICHTBAAR = """\
Wie kan een Pages-site zien? Op GitHub is een Pages-site openbaar voor iedereen op
internet, ook als de repository privé is, behalve op GitHub Enterprise Cloud met
**private Pages** (alleen wie de repository kan lezen). Op GitLab is een Pages-site
openbaar, tenzij **Pages access control** aan staat en de zichtbaarheid van Pages op
**Only project members** staat. Het dashboard toont capaciteit, geen personen, maar is
bedoeld voor de deelnemers: publiceer het alleen openbaar als het convenant dat toestaat.
"""

_DASHBOARD_ARTIFACT = (
    """\
## Het dashboard

Bij elke push naar `main` bouwt de CI het dashboard als **artifact** (GitHub: job
`dashboard bouwen`, GitLab: job `dashboard`): alleen te downloaden door wie deze
repository kan lezen, 30 dagen bewaard. Voor een vaste plek: zet het op een eigen
webserver met toegangsbeheer (intranet, inloggen via de eigen organisatie), of kies
bewust voor Pages met `bedcap init --publiceer`.

"""
    + _ZICHTBAAR
    + "\n"
)

_DASHBOARD_PAGES = (
    """\
## Het dashboard

Bij elke push naar `main` publiceert de CI het dashboard op **Pages** (gekozen met
`bedcap init --publiceer`). GitHub: Settings → Pages, bron **GitHub Actions**. GitLab:
Settings → General → Visibility → **Pages**.

"""
    + _ZICHTBAAR
    + """
Moet het dashboard besloten blijven, gebruik dan geen openbare Pages-site maar het
artifact van de CI (alleen voor wie de repository kan lezen) of een eigen webserver met
toegangsbeheer.

"""
)


def readme(*, publiceer: bool = False) -> str:
    """The data repository's README: how to switch the gate on, and who sees the dashboard."""
    return README_TEXT.replace(
        "@DASHBOARD@\n", _DASHBOARD_PAGES if publiceer else _DASHBOARD_ARTIFACT
    )


def files(pakket: str, *, publiceer: bool = False) -> dict[str, str]:
    """Every file `bedcap init` writes for CI, by path."""
    return {
        GITHUB_WORKFLOW: github(pakket, publiceer=publiceer),
        GITLAB_CI: gitlab(pakket, publiceer=publiceer),
        README: readme(publiceer=publiceer),
    }
