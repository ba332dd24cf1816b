"""Property tests for redaction: for any text, restore(redact(t)) == t and nothing detectable is sent."""
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.routing.pii import detect_pii, redact_pii
from workbench.routing.pii_formats import luhn_valid

LOCAL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._", min_size=1, max_size=8)
DOMAIN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
EMAIL = st.builds(lambda a, b, tld: f"{a.strip('.') or 'x'}@{b}.{tld}", LOCAL, DOMAIN, st.sampled_from(["com", "org", "net", "io"]))
ACCOUNT = st.integers(0, 999_999).map(lambda n: f"ACCT-{n:06d}")
PHONE = st.one_of(st.integers(100, 199).map(lambda n: f"+1 555-0{n}"),
                  st.integers(0, 999).map(lambda n: f"+44 20 7946 0{n:03d}"),      # Ofcom drama range
                  st.integers(0, 999).map(lambda n: f"030 23125 {n:03d}"))         # Bundesnetzagentur drama range
IBAN = st.sampled_from(["DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 32", "NL91ABNA0417164300"])
SSN = st.sampled_from(["078-05-1120", "219-09-9999"])


def _card(prefix_digits):
    """A 16-digit number with a valid Luhn check digit, written in groups of four."""
    body = "".join(str(d) for d in prefix_digits)
    check = next(d for d in range(10) if luhn_valid(body + str(d)))
    digits = body + str(check)
    return " ".join(digits[i:i + 4] for i in range(0, 16, 4))


CARD = st.lists(st.integers(0, 9), min_size=15, max_size=15).map(_card)
FILLER = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
PIECE = st.one_of(FILLER, EMAIL, ACCOUNT, PHONE, CARD, IBAN, SSN,
                  st.sampled_from(["<EMAIL_1>", "<PHONE_2>", " ", "\n", "-", "@", "ACCT-", "<", ">"]))
TEXT = st.lists(PIECE, max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_redact_then_restore_gives_back_the_original(text):
    r = redact_pii(text)
    assert r.restore(r.text) == text


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_nothing_the_detector_flags_is_left_in_what_is_sent(text):
    r = redact_pii(text)
    assert detect_pii(r.text) == []
    for span in r.original_spans:
        assert span.text not in r.text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(EMAIL, ACCOUNT, PHONE, CARD, IBAN, SSN), min_size=1, max_size=5), FILLER)
def test_every_generated_value_is_replaced_by_a_placeholder(values, filler):
    text = " | ".join(values) + " " + filler
    r = redact_pii(text)
    for v in values:
        assert v not in r.text
    assert r.restore(r.text) == text
