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
    # issue 13: the gate judges ref updates, file modes and the records a provider writes
    FindingType(
        Code.REF_NIET_TOEGESTAAN,
        "Ref niet toegestaan",
        "Een push mag alleen de beschermde tak bijwerken en de refs die bedcap.toml "
        "toestaat (toegestane_refs); refs/replace/ en refs/notes/ nooit, want git leest "
        "de geschiedenis daardoor anders.",
        "ref {gevonden} is niet toegestaan; verwacht: {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.REF_VERWIJDERD,
        "Ref verwijderen mag niet",
        "Een ref verwijderen haalt de aanleveringen van anderen weg; de beschermde tak wordt "
        "nooit verwijderd.",
        "{gevonden} verwijderen mag niet; verwacht: alleen nieuwe commits erbij",
        velden=("gevonden",),
    ),
    FindingType(
        Code.GEEN_FAST_FORWARD,
        "Geen fast-forward",
        "De beschermde tak groeit alleen aan: een push die commits terugdraait of "
        "herschrijft (force-push) laat aanleveringen van anderen verdwijnen.",
        "de nieuwe stand bevat {gevonden} niet; verwacht: een fast-forward van {verwacht} "
        "(git pull --rebase en opnieuw pushen)",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.GEEN_GEWOON_BESTAND,
        "Geen gewoon bestand",
        "Onder data/ staan alleen gewone, niet-uitvoerbare bestanden: een submodule of "
        "uitvoerbaar bestand ontloopt de controle.",
        "bestand is {gevonden}; verwacht: een gewoon bestand (modus 100644)",
        velden=("gevonden",),
    ),
    FindingType(
        Code.INGEDIEND_OP_WIJKT_AF,
        "ingediend_op klopt niet met de commit",
        "ingediend_op ligt binnen de tolerantie van het moment van de commit die het "
        "bestand schrijft: tijdigheid volgt uit de commit, niet uit een waarde die de "
        "aanbieder zelf invult.",
        "ingediend_op {gevonden}; verwacht: {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.COMMIT_IN_TOEKOMST,
        "Commit in de toekomst",
        "Het tijdstip van een commit ligt niet na nu.",
        "commit-tijdstip {gevonden}; verwacht: uiterlijk {verwacht}",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.COMMIT_TE_OUD,
        "Commit te oud bij ontvangst",
        "Een commit die een snapshot op de beschermde tak brengt, is gemaakt vlak voor de "
        "push (binnen de tolerantie); anders zou een aanbieder zijn aanlevering kunnen "
        "terugdateren.",
        "commit-tijdstip {gevonden}, ontvangen {verwacht}; dien opnieuw in (bedcap submit) "
        "en push meteen",
        velden=("gevonden", "verwacht"),
    ),
    FindingType(
        Code.AFGELEID_BESTAND,
        "Afgeleid bestand in git",
        "In .bedcap/ staan alleen bestanden die bedcap zelf afleidt (caches) voor één "
        "kloon; een gevolgd exemplaar zou in elke kloon de antwoorden van een ander "
        "voorschrijven. Voor iedereen geweigerd, ook voor de LCBB; verwijderen mag.",
        "afgeleid bestand in .bedcap/; verwacht: niet in git (staat in .gitignore)",
        velden=(),
    ),
    FindingType(
        Code.TRAILER_WIJKT_AF,
        "Trailer klopt niet met de paden",
        "De Bedcap-trailers van een commit noemen de eigenaar en de dagen van de paden die "
        "hij wijzigt; rapporten leiden de eigenaar af uit de paden.",
        "{trailer}: {gevonden}; verwacht: {verwacht}",
        velden=("trailer", "gevonden", "verwacht"),
    ),
]
