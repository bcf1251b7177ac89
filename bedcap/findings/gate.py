"""The gate: commits of a change, and the state of submissions."""

from __future__ import annotations

from bedcap.findings.codes import Code
from bedcap.findings.finding import Ernst, FindingType

TYPES = [
    FindingType(
        Code.COMMIT_NIET_ONDERTEKEND,
        "Commit niet ondertekend",
        "Elke commit in een wijziging is ondertekend met een sleutel uit deelnemers.yaml "
        "(zoals die in de basisrevisie staat).",
        "commit is niet ondertekend; verwacht: een handtekening met een sleutel uit "
        "deelnemers.yaml",
        velden=(),
    ),
    FindingType(
        Code.COMMIT_ONBEKENDE_SLEUTEL,
        "Onbekende of ongeldige handtekening",
        "De sleutel van de handtekening staat niet in deelnemers.yaml van de basisrevisie, of "
        "de handtekening klopt niet. Een sleutel die in dezelfde wijziging wordt toegevoegd, "
        "telt nog niet.",
        "handtekening niet te controleren met deelnemers.yaml van de basis (git-status "
        "{gevonden}); verwacht: een bekende sleutel",
        velden=("gevonden",),
    ),
    FindingType(
        Code.COMMITTER_WIJKT_AF,
        "Committer is niet de ondertekenaar",
        "Het e-mailadres van de committer is dat van de beheerder bij wie de sleutel hoort.",
        "committer {gevonden}; verwacht: {verwacht} (de ondertekenaar)",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.COMMIT_MEERDERE_EIGENAREN,
        "Commit raakt meerdere eigenaren",
        "Een commit wijzigt alleen paden van één eigenaar (een aanbieder of de LCBB).",
        "commit raakt paden van {gevonden}; verwacht: één eigenaar per commit",
        velden=("gevonden",),
    ),
    FindingType(
        Code.PAD_VAN_ANDER,
        "Pad van een ander",
        "Een aanbieder schrijft alleen zijn eigen deel; registers en projectbestanden zijn "
        "van de LCBB.",
        "ondertekend door {gevonden}, maar dit pad is van {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.SNAPSHOT_IN_TOEKOMST,
        "Snapshot in de toekomst",
        "Een snapshot gaat over vandaag of eerder.",
        "peildatum {gevonden}; verwacht: {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.AANLEVERING_ONTBREEKT,
        "Aanlevering ontbreekt",
        "Een aanbieder levert elke werkdag een snapshot aan waarop minstens één afdeling "
        "actief is; weekenden en feestdagen tellen niet.",
        "{aanbieder} heeft geen snapshot voor werkdag {gevonden}",
        velden=("aanbieder", "gevonden"),
    ),
    FindingType(
        Code.AANBIEDER_VEROUDERD,
        "Aanbieder verouderd",
        "De nieuwste snapshot is ouder dan de vorige werkdag (of dan vandaag, na de deadline).",
        "nieuwste snapshot van {aanbieder} is van {gevonden}",
        velden=("aanbieder", "gevonden"),
    ),
    FindingType(
        Code.AANLEVERING_TE_LAAT,
        "Te laat aangeleverd",
        "Op tijd is vóór de deadline van bedcap.toml op de peildatum zelf (volgens ingediend_op).",
        "snapshot van {gevonden} kwam na de deadline",
        ernst=Ernst.WAARSCHUWING,
        velden=("gevonden",),
    ),
]
