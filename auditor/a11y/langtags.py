"""Validation of BCP 47 language tags against ISO 639 language codes (IANA subtag rules)."""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    """The white-space separated words of ``text`` as a set."""
    return frozenset(text.split())


# ISO 639-1 two-letter codes (all are valid primary language subtags; "iw", "in", "ji" and
# "mo" are deprecated but still registered).
ISO_639_1: frozenset[str] = words(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv
    cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr
    ht hu hy hz ia id ie ig ii ik in io is it iu iw ja ji jv ka kg ki kj kk kl km kn ko kr ks
    ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mo mr ms mt my na nb nd ne ng nl
    nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl
    sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi
    vo wa wo xh yi yo za zh zu
    """
)

# ISO 639-2 (B and T) codes of languages that also have a two-letter code. BCP 47 requires
# the shortest code, so these are NOT valid primary subtags (e.g. "eng" must be "en").
ISO_639_2_WITH_1: frozenset[str] = words(
    """
    aar abk ave afr aka amh arg ara asm ava aym aze bak bel bul bih bis bam ben tib bod bre bos
    cat che cha cos cre cze ces chu chv wel cym dan ger deu div dzo ewe gre ell eng epo spa est
    baq eus per fas ful fin fij fao fre fra fry gle gla glg grn guj glv hau heb hin hmo hrv hat
    hun arm hye her ina ind ile ibo iii ipk ido ice isl ita iku jpn jav geo kat kon kik kua kaz
    kal khm kan kor kau kas kur kom cor kir lat ltz lug lim lin lao lit lub lav mlg mah mao mri
    mac mkd mal mon mar may msa mlt bur mya nau nob nde nep ndo dut nld nno nor nbl nav nya oci
    oji orm ori oss pan pli pol pus por que roh run rum ron rus kin san srd snd sme sag sin slo
    slk slv smo sna som alb sqi srp ssw sot sun swe swa tam tel tgk tha tir tuk tgl tsn ton tur
    tso tat twi tah uig ukr urd uzb ven vie vol wln wol xho yid yor zha chi zho zul
    """
)

# A few three-letter codes without a two-letter equivalent, for documentation and tests.
# Other unlisted three-letter codes are accepted: the full ISO 639-3 list is not bundled,
# and an unverifiable code must not raise a false alarm.
ISO_639_2_ONLY_EXAMPLES: frozenset[str] = words(
    "haw fil yue cmn ceb hmn khb kjg mnw tdd cjm ace ast gsw"
)

_TAG = re.compile(r"^[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8})*$")


def primary_subtag(tag: str) -> str:
    """The lower-case primary language subtag of ``tag`` ('' when empty)."""
    return tag.strip().split("-", 1)[0].lower()


def is_valid_lang(tag: str) -> bool:
    """Whether ``tag`` is a well-formed language tag whose primary subtag is a language code.

    Two-letter subtags must be ISO 639-1 codes; three-letter subtags must not be the ISO 639-2
    form of a language that has a two-letter code (``eng``); grandfathered ``i-…`` tags,
    private-use ``x-…`` tags and other lengths are invalid.
    """
    tag = tag.strip()
    if not tag or not _TAG.match(tag):
        return False
    primary = primary_subtag(tag)
    if not primary.isalpha():
        return False
    if len(primary) == 2:
        return primary in ISO_639_1
    if len(primary) == 3:
        return primary not in ISO_639_2_WITH_1
    return False
