"""What a pusher can do about a refusal, per kind of refusal (issue 17).

The pre-receive hook lists the findings, one per `remote:` line; after them it says what
fixes each kind of refusal that occurred: sign and amend, move the change to your own
folder, ask the LCBB, or correct the data. Never a generic "pull and push again": that
does not fix any of these.
"""

from __future__ import annotations

from collections.abc import Iterable

SIGN = (
    "Oplossing (ondertekening): teken met een sleutel die data/deelnemers.yaml bij jullie "
    "aanbieder noemt, met het e-mailadres dat erbij staat (bedcap setup regelt beide), en "
    "herschrijf de commits: git rebase --exec 'git commit --amend --no-edit -S' "
    "origin/main; push daarna opnieuw."
)
OWN_FOLDER = (
    "Oplossing (eigenaar): een push mag alleen het eigen deel raken (data/locaties/<jullie-id>/, "
    "data/snapshots/<jullie-id>/, ...), één eigenaar per commit; zet de wijziging in jullie "
    "eigen map en haal de rest uit de commits (git rebase -i origin/main). Registers en het "
    "deel van een ander wijzigt alleen de LCBB: vraag het de LCBB."
)
LCBB = (
    "Oplossing (termijn): een dag buiten het correctievenster of in de toekomst kan alleen "
    "de LCBB vastleggen; controleer de peildatum (--datum) of vraag het de LCBB."
)
DATA = (
    "Oplossing (data): herstel de bestanden ('bedcap validate' toont dezelfde bevindingen), "
    "maak een nieuwe commit en push opnieuw."
)
PROTECTED = (
    "Oplossing (tak): de hoofdtak gaat alleen vooruit en wordt nooit verwijderd; werk bij "
    "met git rebase origin/main in plaats van te forceren."
)

KINDS: dict[str, str] = {
    "commit-niet-ondertekend": SIGN,
    "commit-onbekende-sleutel": SIGN,
    "committer-wijkt-af": SIGN,
    "pad-van-ander": OWN_FOLDER,
    "commit-meerdere-eigenaren": OWN_FOLDER,
    "buiten-correctievenster": LCBB,
    "snapshot-in-toekomst": LCBB,
}
"""Finding code → the fix for that kind of refusal; every other error code is DATA."""

ORDER = (SIGN, OWN_FOLDER, LCBB, DATA, PROTECTED)


def remedies(codes: Iterable[str], *, protected_ref: bool = False) -> list[str]:
    """The fixes for the refused findings' codes, each once, in a fixed order."""
    wanted = {KINDS.get(code, DATA) for code in codes}
    if protected_ref:
        wanted.add(PROTECTED)
    return [text for text in ORDER if text in wanted]
