"""Meaning checks that need no dictionary: negation and offensive language lost or added.

WMT's critical errors are largely these: a dropped "not", or an insult toned down or invented.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable

import regex

from review.checks import CheckContext, CheckResult
from review.checks._text import finding, trie_alternation
from review.checks.surface import ascii_letter_runs
from review.model import Finding, Pair, Severity

_EN_NEGATION_WORDS = r"not|no|never|nothing|nobody|none|nor|neither|nowhere|cannot|without"
_EN_NEGATION = regex.compile(rf"\b(?:{_EN_NEGATION_WORDS}|\w+n[’']t)\b", regex.IGNORECASE)
# The same matches on a text with no apostrophe (most texts), where "n't" cannot occur: the
# `\w+` branch tried at every word start is most of the pattern's cost.
_EN_NEGATION_PLAIN = regex.compile(rf"\b(?:{_EN_NEGATION_WORDS})\b", regex.IGNORECASE)
# "No." at the start of an answer and "not only" carry no negated content.
_EN_NEGATION_OK = regex.compile(r"\bnot only\b|\bno longer\b|\bno doubt\b", regex.IGNORECASE)
# The Chinese patterns are plain literals with no flags, which the standard `re` engine matches
# the same way as `regex`, and faster.
_ZH_NEGATION = re.compile(r"[不没無无非未别莫勿否甭]")
# Words that contain a negation character but do not negate.
_ZH_NEGATION_OK = re.compile(
    r"不仅|不但|不断|不过|不久|不同|不少|不管|不论|无论|无数|非常|并非常|未来|没准|不得不|"
    r"是否|否则|能否|可否|与否|无限|无线|无疑|非洲|莫斯科|别人|别的|分别|特别|区别|类别|级别|告别|差别|识别|辨别|性别|"
    r"无人机|除非|是非|未必|不错|不安|不满|不幸|无聊|非法|莫名"
)
_EN_OFFENSIVE = regex.compile(
    r"\b(?:fuck\w*|f\*+k\w*|shit\w*|bitch\w*|bastard\w*|asshole\w*|arse\w*|dick\w*|cunt\w*|"
    r"damn\w*|crap\w*|idiot\w*|stupid\w*|moron\w*|retard\w*|fag\w*|nigg\w*|whore\w*|slut\w*|"
    r"dumb\w*|suck\w*|jerk\w*|loser\w*|scum\w*|piss\w*|wank\w*|twat\w*|douche\w*|prick\w*|"
    r"cock\w*|penis\w*|gay\w*|homo\w*|nazi\w*|hell|ass|butt\w*|hate\w*|kill\w*|die|dead|"
    r"liar\w*|pathetic|ignorant|fool\w*|jackass\w*|troll\w*|vandal\w*|shut up)\b",
    regex.IGNORECASE,
)
_ZH_OFFENSIVE = re.compile(
    r"他妈|妈的|操你|肏|狗屎|屎|混蛋|婊|贱|傻|白痴|蠢|笨蛋|混账|王八|滚|屁|该死|去死|鸡巴|阴茎|"
    r"废物|垃圾|妓|荡妇|黑鬼|同性恋|基佬|鸡奸|杂种|下流|性交|弱智|智障|呆子|狗娘|他娘|纳粹|地狱|"
    r"屁股|恨|杀|死|骗子|可悲|无知|愚|傻瓜|巨魔|破坏者|闭嘴|讨厌|鬼"
)


# Strong English words and the Chinese that carries them over; a strong word whose renderings are
# all absent was softened, dropped or mistranslated (WMT counts that as a critical error).
_STRONG: tuple[tuple[regex.Pattern[str], tuple[str, ...]], ...] = tuple(
    (regex.compile(pattern, regex.IGNORECASE), tuple(zh.split()))
    for pattern, zh in (
        (
            r"\bf+u+c+k\w*|\bf\*+k\w*|\bmotherf\w*|\bwtf\b",
            "操 肏 他妈 妈的 该死 去你 见鬼 滚 干 靠 混蛋 狗屎",
        ),
        (r"\bshit\w*|\bbullshit\w*", "屎 狗屎 该死 妈的 废话 胡说 狗屁 屁"),
        (r"\bbitch\w*", "婊 贱 母狗 混蛋"),
        (r"\bcunt\w*", "屄 婊 贱 混蛋 逼"),
        (r"\bdick\w*|\bcock\w*|\bpenis\w*", "鸡巴 屌 阴茎 混蛋 鸡鸡 老二 公鸡 鸡"),
        (r"\bfag\w*|\bfaggot\w*|\bhomo\b", "基佬 同性恋 玻璃 娘娘腔 死基"),
        (r"\bbastard\w*", "混蛋 杂种 王八 私生子 混账"),
        (r"\basshole\w*|\barsehole\w*|\bass\b|\barse\b", "混蛋 屁眼 王八 混球 屁股 蠢 驴 屁"),
        (r"\bnigg\w*", "黑鬼 黑人 尼格"),
        (r"\bretard\w*", "弱智 智障 白痴 傻"),
        (r"\bidiot\w*|\bmoron\w*|\bstupid\w*|\bdumb\w*", "白痴 傻 蠢 笨 弱智 智障 愚"),
        (r"\bsuck\w*", "烂 差劲 糟糕 吸 逊 讨厌 恶心"),
        (r"\bdamn\w*|\bhell\b", "该死 见鬼 地狱 天哪 妈的 鬼"),
        (r"\bwhore\w*|\bslut\w*", "妓 婊 荡妇 淫"),
        (r"\bloser\w*", "失败者 废物 输家 窝囊"),
        (r"\bkill\w*|\bdie\b|\bdead\b", "杀 死 亡"),
    )
)


_ANY_STRONG = regex.compile("|".join(p.pattern for p, _ in _STRONG), regex.IGNORECASE)
# Letters every match of _EN_OFFENSIVE (or of _ANY_STRONG) contains. In a text lower-cased by
# `_word_lower` (where case-insensitive matching is plain lower-casing) a text with none of them
# cannot match: one trie search instead of a pass of the many-branch pattern.
# fmt: off
_OFFENSIVE_STEMS = (
    "fuck", "f*", "shit", "bitch", "bastard", "ass", "arse", "dick", "cunt", "damn", "crap",
    "idiot", "stupid", "moron", "retard", "fag", "nigg", "whore", "slut", "dumb", "suck", "jerk",
    "loser", "scum", "piss", "wank", "twat", "douche", "prick", "cock", "penis", "gay", "homo",
    "nazi", "hell", "butt", "hate", "kill", "die", "dead", "liar", "pathetic", "ignorant", "fool",
    "troll", "vandal", "shut up",
)
_STRONG_STEMS = (
    "fu", "f*", "motherf", "wtf", "shit", "bitch", "cunt", "dick", "cock", "penis", "fag", "homo",
    "bastard", "ass", "arse", "nigg", "retard", "idiot", "moron", "stupid", "dumb", "suck", "damn",
    "hell", "whore", "slut", "loser", "kill", "die", "dead",
)
# fmt: on


# How every match of _EN_OFFENSIVE or _ANY_STRONG begins, at a word start (`\b`): a word
# stem, or a whole word. Tighter than the stems above (no "class", "hello", "full"), so most
# texts skip both patterns after this one pass (tests derive a match of every listed word and
# check it passes). \bf+u+c+k begins ff, fuc or fuu.
# fmt: off
_WORD_START_STEMS = (
    "ff", "fuc", "fuu", "f*", "motherf", "wtf", "shit", "bullshit", "bitch", "bastard",
    "asshole", "arse", "dick", "cunt", "damn", "crap", "idiot", "stupid", "moron", "retard",
    "fag", "nigg", "whore", "slut", "dumb", "suck", "jerk", "loser", "scum", "piss", "wank",
    "twat", "douche", "prick", "cock", "penis", "gay", "homo", "nazi", "butt", "hate", "kill",
    "liar", "pathetic", "ignorant", "fool", "jackass", "troll", "vandal", "shut up",
)
_WHOLE_WORDS = ("hell", "ass", "die", "dead")
# fmt: on
# The text is led by a space, and a leading character other than [a-z0-9_] stands for the `\b`
# before a word (a look-behind scans slower); in non-ASCII text it passes more, never fewer.
_ANY_STEM = re.compile(
    f"[^a-z0-9_](?:{trie_alternation(_WORD_START_STEMS)}"
    f"|{trie_alternation(_WHOLE_WORDS)}(?![a-z0-9_]))"
)
# A trie pattern finds any of the stems in one pass, faster than one `in` test per stem.
_FIND_STEM: dict[tuple[str, ...], Callable[[str], re.Match[str] | None]] = {
    stems: re.compile(trie_alternation(stems)).search for stems in (_OFFENSIVE_STEMS, _STRONG_STEMS)
}


def _word_lower(en: str) -> str | None:
    """The text lower-cased, for the word filters, when that is how the patterns' case-insensitive
    ASCII words match it; else None. Only İ, ſ and K (Kelvin) match an ASCII letter without
    being one, and lower-casing changes only word characters (tests check both), so in any
    other text a match's letters are ASCII and the non-word characters around it stay."""
    if en.isascii() or not ("\u0130" in en or "\u017f" in en or "\u212a" in en):
        return en.lower()
    return None


def _may_match(lower: str | None, stems: tuple[str, ...]) -> bool:
    """Whether a pattern with these stems may match: `lower` is `_word_lower` of the text
    (None: anything may match)."""
    return lower is None or _FIND_STEM[stems](lower) is not None


def _may_be_strong(lower: str) -> bool:
    """Whether _EN_OFFENSIVE or _ANY_STRONG may match the text whose `_word_lower` this is."""
    return _ANY_STEM.search(" " + lower) is not None


def _may_be_strong_words(runs: tuple[bytes, ...]) -> bool:
    """Whether `_may_be_strong` may hold for an ASCII text with these `ascii_letter_runs`: each
    of its matches starts a letter run, so the run is a whole word or its first four letters
    are a head of a stem. Set lookups cost less than the scan, and most texts pass neither."""
    return not _WHOLE_WORD_BYTES.isdisjoint(runs) or not _HEADS.isdisjoint(map(_FIRST_4, runs))


def _heads(stem: str) -> list[bytes]:
    """The first four letters of every letter run that begins with the stem at a word start."""
    letters = re.sub("[^a-z].*", "", stem).encode("ascii")
    if letters != stem.encode("ascii"):
        return [letters[:4]]  # "f*", "shut up": the run ends where the letters do
    heads = [letters[:4]]
    for _ in range(4 - len(letters)):
        heads += [head + bytes([c]) for head in heads for c in range(ord("a"), ord("z") + 1)]
    return heads


_WHOLE_WORD_BYTES = frozenset(word.encode("ascii") for word in _WHOLE_WORDS)
_HEADS = frozenset(head for stem in _WORD_START_STEMS for head in _heads(stem))
_FIRST_4 = operator.itemgetter(slice(4))


# The negation words, where \b(?:word)\b matches exactly the \w runs (in lower-cased ASCII
# text, [a-z0-9_] runs) that are one of them, as in the space-led text below.
_EN_NEGATION_RUN = re.compile(
    f"[^a-z0-9_]({trie_alternation(_EN_NEGATION_WORDS.split('|'))})(?![a-z0-9_])"
)
# The negation words as `ascii_letter_runs` gives them.
_NEGATION_WORD_BYTES = frozenset(word.encode("ascii") for word in _EN_NEGATION_WORDS.split("|"))


def _en_negations(en: str, lower: str | None) -> list[tuple[int, int]]:
    """Spans of _EN_NEGATION's matches not inside an _EN_NEGATION_OK phrase; `lower` is the
    lower-cased text when it is ASCII, else None."""
    # The "n't" branch needs an n or N before the apostrophe ((?i)n matches nothing else).
    if "n'" in en or "n’" in en or "N'" in en or "N’" in en:
        return _count(_EN_NEGATION, _EN_NEGATION_OK, en)
    if lower is None:
        return _count(_EN_NEGATION_PLAIN, _EN_NEGATION_OK, en)
    # Each match is a whole letter run too: most texts have no run that is a negation word.
    runs = ascii_letter_runs(en)
    if runs is not None and _NEGATION_WORD_BYTES.isdisjoint(runs):
        return []
    found = [(m.start(1) - 1, m.end(1) - 1) for m in _EN_NEGATION_RUN.finditer(" " + lower)]
    return _unblocked(found, _EN_NEGATION_OK, en) if found else found


def _count(
    pattern: regex.Pattern[str] | re.Pattern[str],
    ok: regex.Pattern[str] | re.Pattern[str],
    text: str,
) -> list[tuple[int, int]]:
    found = [m.span() for m in pattern.finditer(text)]
    if not found:
        return found  # most texts: no need to look for the exceptions
    return _unblocked(found, ok, text)


def _unblocked(
    found: list[tuple[int, int]], ok: regex.Pattern[str] | re.Pattern[str], text: str
) -> list[tuple[int, int]]:
    blocked = [m.span() for m in ok.finditer(text)]
    return [(start, end) for start, end in found if not any(s <= start < e for s, e in blocked)]


def check_polarity(pair: Pair, ctx: CheckContext) -> CheckResult:
    """Negation present on one side only; offensive language dropped or added."""
    if not pair.en.strip() or not pair.zh.strip():
        return CheckResult()
    en, zh = pair.en, pair.zh
    lower = _word_lower(en)
    # Negation spans come from the lower-cased text: only when it is ASCII (same length).
    en_neg = _en_negations(en, lower if en.isascii() else None)
    zh_neg = _count(_ZH_NEGATION, _ZH_NEGATION_OK, zh)
    runs = ascii_letter_runs(en)
    any_stem = lower is None or (
        _may_be_strong(lower) if runs is None else _may_be_strong_words(runs)
    )
    en_bad = (
        [m.span() for m in _EN_OFFENSIVE.finditer(en)]
        if any_stem and _may_match(lower, _OFFENSIVE_STEMS)
        else []
    )
    zh_bad = [m.span() for m in _ZH_OFFENSIVE.finditer(zh)]
    findings: list[Finding] = []
    if en_neg and not zh_neg:
        word = pair.en[en_neg[0][0] : en_neg[0][1]]
        findings.append(
            finding(
                "negation-dropped",
                Severity.MAJOR,
                f"The English is negated (“{word}”) but the Chinese has no negation: "
                "the meaning may be reversed.",
                en_neg[0],
            )
        )
    elif zh_neg and not en_neg:
        # Minor: Chinese often negates what English says positively (未能 for "failed to").
        word = pair.zh[zh_neg[0][0] : zh_neg[0][1]]
        findings.append(
            finding(
                "negation-added",
                Severity.MINOR,
                f"The Chinese is negated (“{word}”) but the English is not: "
                "the meaning may be reversed.",
                zh_span=zh_neg[0],
            )
        )
    if en_bad and not zh_bad:
        word = pair.en[en_bad[0][0] : en_bad[0][1]]
        findings.append(
            finding(
                "tone-dropped",
                Severity.MAJOR,
                f"Offensive or strong wording (“{word}”) has no counterpart in the Chinese.",
                en_bad[0],
            )
        )
    elif zh_bad and not en_bad:
        word = pair.zh[zh_bad[0][0] : zh_bad[0][1]]
        findings.append(
            finding(
                "tone-added",
                Severity.MAJOR,
                f"The Chinese has offensive or strong wording (“{word}”) the English lacks.",
                zh_span=zh_bad[0],
            )
        )
    softened: list[tuple[int, int]] = []
    strong = any_stem and _may_match(lower, _STRONG_STEMS) and _ANY_STRONG.search(en)
    for pattern, renderings in _STRONG if strong else ():
        if not any(r in zh for r in renderings):
            softened.extend(m.span() for m in pattern.finditer(en))
    for start, end in softened[:3]:
        findings.append(
            finding(
                "tone-softened",
                Severity.MAJOR,
                f"“{pair.en[start:end]}” is not carried over into the Chinese "
                "(dropped, softened or mistranslated).",
                (start, end),
            )
        )
    features = {
        "softened": float(len(softened)),
        "neg_dropped": float(bool(en_neg) and not zh_neg),
        "neg_added": float(bool(zh_neg) and not en_neg),
        "neg_diff": float(abs(len(en_neg) - len(zh_neg))),
        "tone_dropped": float(bool(en_bad) and not zh_bad),
        "tone_added": float(bool(zh_bad) and not en_bad),
        "tone_diff": float(max(0, len(en_bad) - len(zh_bad))),
    }
    return CheckResult(tuple(findings), features)
