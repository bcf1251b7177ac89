"""The YAML parser's complaints in Dutch (issue 18 review: bad input gets a clear Dutch error).

libyaml (and PyYAML's own parser, where libyaml is missing) says what is wrong in English:
"while parsing a flow sequence did not find expected ',' or ']'". A provider's staff reads
the finding, so its two parts, where the parser was and what it found, are said here in
Dutch. A message this table does not know keeps the parser's words after a Dutch
sentence, so nothing it says is lost.
"""

from __future__ import annotations

import re

_WAAR = tuple(
    (re.compile(english), dutch)
    for english, dutch in (
        (r"while parsing a flow sequence", "in een lijst tussen [ ]"),
        (r"while parsing a flow mapping", "in een verzameling tussen { }"),
        (r"while parsing a block mapping", "in een blok sleutels"),
        (r"while parsing a block collection", "in een lijst met streepjes"),
        (r"while parsing a (?:flow |block )?node", "bij een waarde"),
        (
            r"while (?:scanning|parsing) a (?:double-)?quoted scalar",
            "in een tekst tussen aanhalingstekens",
        ),
        (r"while scanning a block scalar", "in een tekstblok (| of >)"),
        (r"while scanning a plain scalar", "in een waarde"),
        (r"while scanning a simple key", "bij een sleutel"),
        (r"while scanning an? (?:alias|anchor)", "bij een anker of alias"),
        (
            r"while (?:scanning|parsing) a (?:tag|directive|%TAG directive|%YAML directive)",
            "bij een tag of %-regel",
        ),
        (r"while (?:scanning for the next token|composing a mapping|constructing a mapping)", ""),
        (r"found duplicate anchor.*", "een anker dat er twee keer staat"),
        (r"expected a single document in the stream", "het bestand mag één document bevatten"),
    )
)

_TOKENS = {
    "<block end>": "het einde van een blok",
    "<block mapping start>": "een nieuw blok sleutels",
    "<block sequence start>": "een nieuwe lijst",
    "<document start>": "'---' (het begin van een document)",
    "<document end>": "'...' (het einde van een document)",
    "<stream end>": "het einde van het bestand",
    "<scalar>": "een waarde",
    "<alias>": "een alias",
    "<anchor>": "een anker",
    "<block entry>": "een streepje '-'",
    "<key>": "een sleutel",
    "<value>": "':'",
    "key": "een sleutel",
    "'-' indicator": "een streepje '-'",
    "comment or line break": "commentaar of een nieuwe regel",
    "node content": "een waarde",
    "alphabetic or numeric character": "een letter of cijfer",
    "hexdecimal number": "een hexadecimaal getal",
    "tag URI": "een tag",
    "the expected '>'": "'>'",
    "URI": "een tag",
    "whitespace": "een spatie",
    "directive name": "de naam van een %-regel",
    "version number": "een versienummer",
}

_WAT = tuple(
    (re.compile(english), dutch)
    for english, dutch in (
        (
            r"mapping values are not allowed (?:here|in this context)",
            "hier mag geen 'sleutel: waarde' staan (een dubbele punt in een waarde? zet die "
            "tussen aanhalingstekens; of klopt de inspringing niet?)",
        ),
        (r"mapping keys are not allowed (?:here|in this context)", "hier mag geen sleutel staan"),
        (r"could not find expected ':'", "de ':' na een sleutel ontbreekt"),
        (r"did not find expected (.+)", "verwacht: {0}"),
        (r"expected (.+?), but (?:found|got) (.+)", "verwacht: {0}; gevonden: {1}"),
        (r"found unexpected end of stream", "het bestand houdt onverwacht op"),
        (r"found unexpected (.+)", "onverwacht: {0}"),
        (
            r"found character(?: .+)? that cannot start any token",
            "een teken waarmee geen waarde mag beginnen (zet de waarde tussen aanhalingstekens)",
        ),
        (
            r"found a tab character (?:that violates indentation|where an indentation space is "
            r"expected)",
            "een tab waar met spaties moet worden ingesprongen",
        ),
        (r"found unknown escape character(?: .+)?", "een onbekende escape na '\\' in een tekst"),
        (r"found undefined alias(?: .+)?", "een alias zonder anker"),
        (r"found duplicate anchor.*|second occurrence", "een anker dat er twee keer staat"),
        (r"but found another document", "er staat een tweede document ('---')"),
        (r"found unexpected document separator", "een onverwachte '---'"),
        (r"found incompatible YAML document.*", "een YAML-versie die niet wordt ondersteund"),
        (r"control characters are not allowed|unacceptable character.*", "een verboden stuurteken"),
        (r"found unhashable key", "een sleutel die geen enkele waarde is"),
        (
            r"block sequence entries are not allowed (?:here|in this context)",
            "hier mag geen lijst met streepjes beginnen (zet de lijst op een nieuwe regel, "
            "ingesprongen onder de sleutel)",
        ),
        (r"found unknown directive name", "een onbekende %-regel"),
        (r"found undefined tag handle.*", "een onbekende tag (!)"),
        (r"did not find URI escaped octet|found unexpected ':'", "een ongeldig teken"),
    )
)


def dutch(context: str | None, problem: str | None) -> str:
    """`context` and `problem` of a YAML error as one Dutch sentence."""
    where = _translate(context, _WAAR) if context else ""
    what = _translate(problem, _WAT) if problem else ""
    if what == where:
        what = ""
    return ": ".join(part for part in (where, what) if part) or "de opbouw klopt niet"


def _translate(english: str, table: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    english = english.strip()
    for pattern, dutch in table:
        if found := pattern.fullmatch(english):
            groups = found.groups()
            return dutch.format(*(_token(part) for part in groups)) if groups else dutch
    return f"de opbouw klopt niet (de lezer meldt: {english})"


def _token(named: str) -> str:
    """A token as the parser names it, in Dutch where it is one of its own names."""
    bare = named.strip()
    for quote in ("'", '"'):
        if len(bare) > 1 and bare[0] == bare[-1] == quote and bare[1:-1] in _TOKENS:
            bare = bare[1:-1]
    if bare in _TOKENS:
        return _TOKENS[bare]
    parts = re.split(r" or ", bare)
    if len(parts) > 1:
        return " of ".join(_token(part) for part in parts)
    return bare
