"""Understanding what a user typed (MATCH-1, DEM-4): words, the service verb, standards, region.

Chinese is typed without spaces ("电能表检定", "家具甲醛"), so the text is segmented with jieba,
whose general dictionary is extended by the scope vocabulary (objects and parameters of the
indexed scope lines, kept in `SearchWord`) and the operators' synonyms. A word then needs to
occur in a scope line, not next to the word before it. Runs of single characters the
dictionaries do not know ("计最") stay together, so a typo is not matched character by
character. Demand prose loses its stop-words ("我们医院新买了一批…"); a region it names
("常州本地") and the verb (检定 / 校准 / 检验检测 / 认证) become filters of their own.
"""

import gc
import re
import threading
import time
import zlib
from dataclasses import dataclass, field

import jieba
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from qihub.catalog.models import Category
from qihub.core import regions
from qihub.institutions.models import SearchWord, Synonym
from qihub.institutions.tokens import STANDARD, normalise
from qihub.institutions.words import (
    COUNTED,
    NEGATIONS,
    PUNCTUATION,
    QUERY_VERBS,
    SELF_DESCRIBED_BY,
    STOP_WORDS,
    TRAILING,
    VERB_CATEGORY,
)

jieba.setLogLevel(60)  # its start-up chatter is not ours to log

REFRESH_SECONDS = 30


@dataclass
class Word:
    text: str
    alternatives: tuple[str, ...]  # the word and its synonyms, normalised
    kind: str = ""  # "object" / "parameter" when the scope vocabulary has it; "" otherwise


@dataclass
class Parsed:
    words: list[Word] = field(default_factory=list)
    verbs: set[str] = field(default_factory=set)
    standards: set[str] = field(default_factory=set)  # "s:" terms
    region: str = ""  # six-digit code named in the text
    region_text: str = ""
    ignored: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.words or self.standards or self.verbs)

    def category(self) -> str:
        found = {VERB_CATEGORY[v] for v in self.verbs if v in VERB_CATEGORY}
        return found.pop() if len(found) == 1 else ""


class Vocabulary:
    """The scope vocabulary, the synonym groups and a jieba tokenizer that knows both; one per
    process, topped up when either table grows."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tokenizer: jieba.Tokenizer | None = None
        self.reset()

    def reset(self) -> None:
        """Forget the words read (the tokenizer keeps its dictionary: words are only added)."""
        self.kinds: dict[str, str] = {}
        self.fragments: dict[str, str] = {}
        self.pinyin: dict[str, str] = {}
        self.spread: dict[str, int] = {}  # how many vocabulary words contain a fragment
        self.synonyms: dict[str, tuple[str, ...]] = {}
        self.version: tuple[int, int, int] | None = None
        self.checked = 0.0

    def current(self) -> "Vocabulary":
        if time.monotonic() - self.checked < REFRESH_SECONDS and self.tokenizer is not None:
            return self
        with self.lock:
            self._refresh()
        return self

    def forget(self) -> None:
        """Re-read the tables on next use (after the index or the synonyms changed)."""
        self.checked = 0.0

    def _refresh(self) -> None:
        self.checked = time.monotonic()
        last_word = SearchWord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        synonyms = list(Synonym.objects.values_list("pk", "words"))
        # A digest, not hash(): the same in every process (str hashes are salted per process),
        # since the search page's kept results are shared between processes under it.
        digest = zlib.crc32(repr(synonyms).encode())
        version = (last_word, len(synonyms), digest)
        if version == self.version and self.tokenizer is not None:
            return
        if self.tokenizer is None:
            # jieba's default tokenizer, shared with place recognition (core.regions): one
            # dictionary in memory, loaded once per process.
            jieba.dt.initialize()
            self.tokenizer = jieba.dt
        known = max(self.version[0], 0) if self.version else 0
        new = SearchWord.objects.filter(pk__gt=known).values_list("word", "kind", "pinyin")
        for word, kind, pinyin in new.iterator():
            self._add(word, kind, pinyin)
        self.synonyms = synonym_alternatives([words for _, words in synonyms])
        for word in self.synonyms:
            self._add(word, "", "")
        for word in QUERY_VERBS:
            self.tokenizer.add_word(word, 10**6)
        for label in Category.labels:  # 计量, 知识产权 …: words to suggest, not scope words
            self.pinyin.setdefault(label, "".join(lazy_pinyin(label)))
        first = self.version is None
        self.version = version
        if first:
            _freeze_loaded()

    def _add(self, word: str, kind: str, pinyin: str) -> None:
        assert self.tokenizer is not None
        if kind and self.kinds.get(word) != "object":
            self.kinds[word] = kind
            for length in range(2, min(len(word), 8) + 1):
                for start in range(len(word) - length + 1):
                    piece = word[start : start + length]
                    self.spread[piece] = self.spread.get(piece, 0) + 1
                    if self.fragments.get(piece) != "object":
                        self.fragments[piece] = kind
            # The everyday words inside a long scope name are what users type (电子天平 → 天平).
            for piece in self.tokenizer.cut_for_search(word, HMM=False):
                if len(piece) > 1 and piece != word and re.fullmatch(r"[\u4e00-\u9fff]+", piece):
                    self.pinyin.setdefault(piece, "".join(lazy_pinyin(piece)))
        self.pinyin.setdefault(word, pinyin or "".join(lazy_pinyin(word)))
        if len(word) > 1:
            self.tokenizer.add_word(word, 10**5)

    def kind_of(self, word: str) -> str:
        if word in self.kinds:
            return self.kinds[word]
        return self.fragments.get(word, "")


VOCABULARY = Vocabulary()


_FROZEN = threading.Event()


def _freeze_loaded() -> None:
    """Move what the process holds after its first vocabulary load (the dictionaries, Django,
    the libraries) out of the garbage collector's sight, once per process. These objects live
    as long as the process; left in the oldest generation, every full collection walked all of
    them (about 100 ms with 60,000 institutions' vocabulary) inside whichever search happened
    to run — the slowest queries of the search bench (docs/search-tails.md)."""
    if _FROZEN.is_set():
        return
    _FROZEN.set()
    gc.collect()  # what is already garbage is freed, not kept for good
    gc.freeze()


def synonym_alternatives(rows: list[str]) -> dict[str, tuple[str, ...]]:
    """word → the words a line may carry instead. Equal words ("地磅、电子汽车衡") are one
    class, through every row that names them; a broader word ("重金属：铅、镉") finds the
    lines of what it covers and is found by them, but 铅 never finds 镉."""
    equal: dict[str, set[str]] = {}
    narrower: dict[str, set[str]] = {}
    broader: dict[str, set[str]] = {}
    for row in rows:
        head, listed = read_group(row)
        if head:
            narrower.setdefault(head, set()).update(listed)
            for word in listed:
                broader.setdefault(word, set()).add(head)
            continue
        merged = set(listed).union(*(equal.get(w, set()) for w in listed))
        for word in merged:
            equal[word] = merged
    words = set(equal) | set(narrower) | set(broader)
    found: dict[str, tuple[str, ...]] = {}
    for word in sorted(words):
        alike = equal.get(word, {word})
        alternatives = set(alike)
        for one in alike:
            for related in narrower.get(one, set()) | broader.get(one, set()):
                alternatives |= equal.get(related, {related})
        found[word] = (word, *sorted(alternatives - {word}))
    return found


def read_group(words: str) -> tuple[str, tuple[str, ...]]:
    """A synonym row: "地磅、电子汽车衡" (all the same) or "重金属：铅、镉" (a broader word and
    what it covers). Returns (broader or "", the words)."""
    broader, _, rest = words.rpartition("：") if "：" in words else ("", "", words)
    broader = normalise(broader).strip()
    listed = tuple(
        dict.fromkeys(normalise(w).strip() for w in re.split(r"[、,，;；]", rest) if w.strip())
    )
    return broader, listed


def vocabulary_words(object_: str, parameter: str) -> list[tuple[str, str]]:
    """The dictionary words of a scope line: its object and parameter, and their parts between
    punctuation ("家具（木家具、软体家具）" gives 家具, 木家具, 软体家具)."""
    found: list[tuple[str, str]] = []
    for text, kind in ((object_, SearchWord.Kind.OBJECT), (parameter, SearchWord.Kind.PARAMETER)):
        text = normalise(text)
        parts = [text.strip()] + PUNCTUATION.split(text)
        for part in parts:
            part = part.strip()
            shortest = 1 if kind == SearchWord.Kind.PARAMETER else 2  # 铅 and 镉 are parameters
            if shortest <= len(part) <= 30 and re.search(r"[\u4e00-\u9fff]", part):
                found.append((part, kind))
    return found


def parse(text: str, *, vocabulary: Vocabulary | None = None) -> Parsed:
    vocabulary = (vocabulary or VOCABULARY).current()
    parsed = Parsed()
    text = normalise(text).strip()
    code = re.fullmatch(r"\d{6}", text)
    if code and regions.is_valid(text):  # a division code typed into the box
        parsed.region, parsed.region_text = text, text
        return parsed
    for prefix, kind, number, year in STANDARD.findall(text):
        base = f"s:{prefix}{kind}{number}"
        parsed.standards.add(f"{base}-{year}" if year else base)
    text = STANDARD.sub(" ", text)
    found = regions.find_in_text(text)
    if found:
        parsed.region, parsed.region_text = found
        text = text.replace(normalise(found[1]), " ")
    assert vocabulary.tokenizer is not None
    tokens = [t.strip() for t in vocabulary.tokenizer.cut(text, HMM=False)]
    run = ""
    pieces: list[str] = []

    def close_run() -> None:
        nonlocal run
        if run:
            pieces.append(run)
            run = ""

    previous = ""
    for token in tokens:
        if not token or PUNCTUATION.fullmatch(token):
            close_run()
            previous = ""
            continue
        negated, previous = previous in NEGATIONS, token
        if token in QUERY_VERBS:
            close_run()
            if not negated:
                parsed.verbs.add(QUERY_VERBS[token])
            continue
        verb_tail = next(
            (v for v in QUERY_VERBS if len(token) > len(v) + 1 and token.endswith(v)), ""
        )
        if verb_tail and not vocabulary.kind_of(token):
            # 有机产品认证: the object, then the service asked for.
            close_run()
            pieces.append(token[: -len(verb_tail)])
            if not negated:
                parsed.verbs.add(QUERY_VERBS[verb_tail])
            continue
        if token in SELF_DESCRIBED_BY:
            close_run()
            if pieces:
                parsed.ignored.append(pieces.pop())
            parsed.ignored.append(token)
            continue
        if token in STOP_WORDS or token in NEGATIONS or COUNTED.match(token):
            close_run()
            parsed.ignored.append(token)
            continue
        single_unknown = (
            len(token) == 1
            and "\u4e00" <= token <= "\u9fff"
            and not vocabulary.kind_of(token)
            and token not in vocabulary.synonyms
        )
        if single_unknown:
            run += token
            continue
        close_run()
        pieces.append(token)
    close_run()
    pieces = [_head(p, vocabulary) for p in _joined(pieces, vocabulary)]
    seen: set[str] = set()
    for piece in pieces:
        if piece in seen:
            continue
        seen.add(piece)
        if len(piece) == 1 and piece in STOP_WORDS:
            continue
        alternatives = vocabulary.synonyms.get(piece, (piece,))
        kind = vocabulary.kind_of(piece) or next(
            (vocabulary.kind_of(a) for a in alternatives if vocabulary.kind_of(a)), ""
        )
        parsed.words.append(Word(piece, alternatives, kind))
    # A word inside a longer one adds nothing (计价器 beside 出租汽车计价器).
    parsed.words = [
        w
        for w in parsed.words
        if not any(w.text != o.text and w.text in o.text for o in parsed.words)
    ]
    return parsed


def _head(piece: str, vocabulary: Vocabulary) -> str:
    """The part of an unknown compound the scope vocabulary knows: the head noun stands last
    in Chinese (燃气锅炉 → 锅炉), after a trailing 厂 or 含量 is taken off."""
    if vocabulary.kind_of(piece) or piece in vocabulary.synonyms or len(piece) < 3:
        return piece
    for tail in TRAILING:
        stem = piece.removesuffix(tail)
        if (
            stem != piece
            and len(stem) >= 2
            and (vocabulary.kind_of(stem) or stem in vocabulary.synonyms)
        ):
            return stem
    for start in range(1, len(piece) - 1):
        tail = piece[start:]
        if vocabulary.kinds.get(tail) or tail in vocabulary.synonyms:
            return tail
    return piece


def shorter(word: Word) -> Word | None:
    """The word's head the vocabulary also knows (医用外科口罩 → 口罩), to relax a query that
    found nothing; None when there is none."""
    vocabulary = VOCABULARY.current()
    for start in range(1, len(word.text) - 1):
        tail = word.text[start:]
        if vocabulary.kinds.get(tail) or tail in vocabulary.synonyms:
            return Word(tail, vocabulary.synonyms.get(tail, (tail,)), word.kind)
    return None


def _joined(pieces: list[str], vocabulary: Vocabulary) -> list[str]:
    """Neighbours the scope vocabulary knows as one (静 + 液压 → 静液压, of 静液压强度) are
    one word; the general dictionary cut them where the domain does not."""
    joined: list[str] = []
    for piece in pieces:
        if joined and len(joined[-1] + piece) >= 3 and vocabulary.kind_of(joined[-1] + piece):
            joined[-1] += piece
        else:
            joined.append(piece)
    return joined


def suggest(query: str, *, limit: int = 5) -> list[str]:
    """ "您是不是要找": vocabulary words close to what was typed."""
    return [word for word, _ in corrections(query, limit=limit)]


def corrections(query: str, *, limit: int = 5) -> list[tuple[str, str]]:
    """(word, the query with it) for the words the vocabulary does not know — by edit distance
    for Chinese (计最 → 计量, 家俱甲醛 → 家具 甲醛), by pinyin for letters or a homophone typo
    (jiliang, dianbiao)."""
    vocabulary = VOCABULARY.current()
    typed = re.sub(r"\s+", "", normalise(query))
    if not typed:
        return []
    parsed = parse(query)
    unknown = [w.text for w in parsed.words if not w.kind and w.text not in vocabulary.synonyms]
    if len(typed) <= 10 and typed not in unknown:
        unknown.append(typed)  # 血压汁 is one typo, not 血压 and 汁
    found: dict[tuple[str, str], float] = {}
    for word in unknown:
        for close, score in _close_words(word, vocabulary).items():
            fixed = typed.replace(word, f" {close} ").strip() if word != typed else close
            found[(close, re.sub(r"\s+", " ", fixed))] = score
    ranked = sorted(
        (k for k in found if k[0] not in typed),  # 防水 is no correction of 防水卷才
        key=lambda k: (-found[k], -vocabulary.spread.get(k[0], 0), len(k[0]), k[0]),
    )
    return ranked[:limit]


def _close_words(typed: str, vocabulary: Vocabulary) -> dict[str, float]:
    found: dict[str, float] = {}
    if re.fullmatch(r"[a-z]+", typed):
        spelled = typed
    else:
        spelled = "".join(lazy_pinyin(typed))
        for word, score, _ in process.extract(
            typed,
            list(vocabulary.pinyin),
            scorer=Levenshtein.normalized_similarity,
            limit=20,
            score_cutoff=0.5,
        ):
            if word != typed and len(word) > 1:
                found[word] = score - 0.01 * abs(len(word) - len(typed))
    for _, score, word in process.extract(
        spelled, vocabulary.pinyin, scorer=fuzz.ratio, limit=20, score_cutoff=80
    ):
        if word != typed:
            found[word] = max(found.get(word, 0.0), score / 100)
    return found
