"""Small generic vocabularies: years, publishers, places, periodicals, name particles..."""

from __future__ import annotations

import re

YEAR = r"(?:1[5-9]\d\d|20\d\d)"


PUBLISHER_WORD = re.compile(
    r"\b(?:Press|UP|Books?|Publish\w*|Verlag|Sons|House|Library|Routledge|Springer|Macmillan|"
    r"Sharpe|Brill|Gruyter|Wiley|Blackwell|Norton|Knopf|Penguin|Harper\w*|Praeger|Palgrave|"
    r"Elsevier|Francis|Company|Co\.|Inc\.?|Ltd\.?|Éditions|Editions|Izdatel\w*|Nauka|Verlags\w*)\b"
    r"|出版社|Издательство|издательство"
)


PLACES = frozenset(
    """london|new york|paris|edinburgh|montreal|oxford|cambridge|boston|chicago|berlin|moscow|
    beijing|shanghai|tokyo|leiden|amsterdam|toronto|princeton|new haven|st petersburg|
    saint petersburg|st. petersburg|washington|philadelphia|stanford|berkeley|los angeles|
    san francisco|hong kong|taipei|singapore|vienna|munich|leipzig|stuttgart|frankfurt|zurich|
    geneva|rome|madrid|stockholm|copenhagen|ithaca|seattle|honolulu|melbourne|sydney|delhi|
    new delhi|kyiv|kiev|warsaw|prague|budapest|abingdon|basingstoke|lanham|armonk|bloomington|
    durham|chapel hill|ann arbor|baltimore|nanjing|guangzhou|москва|м.|санкт-петербург|спб|
    北京|上海|台北|香港|南京""".replace("\n", "")
    .replace("    ", "")
    .split("|")
)


PERIODICAL_WORD = re.compile(
    r"\b(?:Times|Journal|Tribune|Monitor|Post|News|Herald|Gazette|Guardian|Telegraph|Reuters|"
    r"Chronicle|Magazine|Daily|Weekly|Review|Economist|Independent|Observer|Bulletin|Izvestia|"
    r"Pravda|Spectator|Standard|Mail|Star|Courier|Associated Press|AP|AFP|Xinhua|TASS|BBC)\b"
)


CORPORATE_WORD = re.compile(
    r"\b(?:Bank|Council|Society|Association|Institute|University|Government|Ministry|Committee|"
    r"Organi[sz]ation|Office|Agency|Commission|Foundation|Department|Bureau|Academy|Centre|Center|"
    r"Party|Corporation|Nations|Programme|Program|Group|Company|Federation|Republic|Library|Museum)\b"
)


PARTICLES = frozenset(
    [
        "de",
        "de'",
        "d'",
        "da",
        "del",
        "della",
        "di",
        "du",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "al",
        "el",
        "bin",
        "ibn",
        "ter",
        "ten",
        "dos",
        "das",
        "y",
    ]
)


ABBREVIATIONS = frozenset(
    [
        "p",
        "pp",
        "pt",
        "vol",
        "vols",
        "no",
        "nos",
        "ed",
        "eds",
        "trans",
        "rev",
        "repr",
        "st",
        "dr",
        "mr",
        "mrs",
        "jr",
        "sr",
        "co",
        "inc",
        "ltd",
        "ch",
        "chap",
        "fig",
        "n",
        "nn",
        "col",
        "cols",
        "cf",
        "vs",
        "al",
        "bros",
        "univ",
        "dept",
        "esp",
        "approx",
        "ms",
        "mss",
    ]
)


COMMENTARY_WORD = re.compile(
    r"\b(?:is|are|was|were|has|have|had|who|which|summari[sz]es|records|describes|argues|says|"
    r"notes|gives|discusses|mentions|contains|suggests|claims|shows|explains|states)\b"
)


CITE_PREFIX = re.compile(r"^(see also|see|cf\.|compare|e\.g\.,?|also)\s+(?=\S)", re.I)
