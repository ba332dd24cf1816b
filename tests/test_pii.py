"""PII detection and reversible redaction: each type, Luhn, placeholders, round trips, the golden set."""
import pandas as pd
import pytest

from workbench.errors import WorkbenchError
from workbench.evals import load_golden
from workbench.evals.checks import public_contacts
from workbench.routing.pii import PiiConfig, detect_pii, pii_config, redact_pii
from workbench.routing.pii_eval import gold_spans, pii_detection_scores, pii_detection_table
from workbench.routing.pii_formats import luhn_valid


def kinds(text, **kw):
    return [(s.type, s.text) for s in detect_pii(text, **kw)]


def test_each_type_is_detected_with_its_offsets():
    text = "Mail ana@example.com, account ACCT-123456, call +1 555-0142, card 4111 1111 1111 1111."
    spans = detect_pii(text)
    assert [(s.type, s.text) for s in spans] == [("email", "ana@example.com"), ("account_id", "ACCT-123456"),
                                                 ("phone", "+1 555-0142"), ("card", "4111 1111 1111 1111")]
    for s in spans:
        assert text[s.start:s.end] == s.text


def test_luhn_by_hand():
    # 4111 1111 1111 1111: from the right, double every second digit: seven 1s doubled -> 2 each = 14,
    # the leading 4 doubled -> 8; the undoubled eight 1s -> 8; 14 + 8 + 8 = 30, a multiple of 10
    assert luhn_valid("4111 1111 1111 1111")
    assert not luhn_valid("4111 1111 1111 1112")   # sum 31
    assert luhn_valid("79927398713")               # the textbook example
    assert not luhn_valid("")


def test_a_digit_run_that_fails_luhn_is_not_a_card():
    assert kinds("order 4111 1111 1111 1112 shipped") == []
    assert kinds("card 5500-0000-0000-0004") == [("card", "5500-0000-0000-0004")]


def test_the_account_id_pattern_comes_from_the_scenario():
    assert kinds("customer CUST-42-AB", account_id_pattern=r"CUST-\d+-[A-Z]{2}") == [("account_id", "CUST-42-AB")]
    assert kinds("ACCT-123456", account_id_pattern=r"CUST-\d+") == []


def test_ignored_public_contacts_are_not_personal():
    text = "I wrote to support@tallybird.example and from me@example.org"
    assert kinds(text, ignore={"support@tallybird.example"}) == [("email", "me@example.org")]


def test_redaction_uses_one_placeholder_per_value_and_restores_the_answer():
    text = "I'm ana@example.com (ACCT-123456). Again: ana@example.com; my colleague is bo@example.org."
    r = redact_pii(text)
    assert r.text == "I'm <EMAIL_1> (<ACCOUNT_ID_1>). Again: <EMAIL_1>; my colleague is <EMAIL_2>."
    assert r.placeholders == {"<EMAIL_1>": "ana@example.com", "<ACCOUNT_ID_1>": "ACCT-123456",
                              "<EMAIL_2>": "bo@example.org"}
    answer = "Thanks <EMAIL_1>, I updated account <ACCOUNT_ID_1>."
    assert r.restore(answer) == "Thanks ana@example.com, I updated account ACCT-123456."
    assert r.restore(r.text) == text
    assert list(r.table()["placeholder"]) == ["<EMAIL_1>", "<ACCOUNT_ID_1>", "<EMAIL_2>"]


def test_a_placeholder_already_in_the_text_is_not_reused():
    text = "The template says <EMAIL_1>; mine is ana@example.com"
    r = redact_pii(text)
    assert r.text == "The template says <EMAIL_1>; mine is <EMAIL_2>"
    assert r.restore(r.text) == text


def test_redaction_repeats_until_nothing_detectable_is_left():
    # the phone number is glued to the e-mail address, so it only looks like a phone once the address is gone
    text = "x@y.com555 1234"
    assert kinds(text) == [("email", "x@y.com")]
    r = redact_pii(text)
    assert r.text == "<EMAIL_1><PHONE_1>"
    assert detect_pii(r.text) == []
    assert r.restore(r.text) == text


def test_an_undetected_occurrence_of_a_detected_value_is_redacted_too():
    # '555 1234' after a letter is not matched as a phone (word boundary), but it is the same number
    text = "call 555 1234 or x555 1234"
    r = redact_pii(text)
    assert r.text == "call <PHONE_1> or x<PHONE_1>"
    assert r.restore(r.text) == text


def test_restore_leaves_unknown_placeholders_alone():
    r = redact_pii("ana@example.com")
    assert r.restore("Hi <EMAIL_1>, see <EMAIL_9>") == "Hi ana@example.com, see <EMAIL_9>"


def test_pii_config_reads_and_checks_the_scenario_block():
    cfg = pii_config(data={"account_id_pattern": r"ACCT-\d{6}", "public_contacts": ["Support@Tallybird.example"]})
    assert cfg.public_contacts == frozenset({"support@tallybird.example"})
    with pytest.raises(WorkbenchError) as e:
        pii_config(data={"acount_id_pattern": "x", "types": ["emial"]}, file="s.yaml")
    msg = str(e.value)
    assert "pii.acount_id_pattern: unknown key" in msg and "did you mean 'account_id_pattern'?" in msg
    assert "pii.types[0]" in msg and "did you mean 'email'?" in msg
    with pytest.raises(WorkbenchError, match="not a valid regular expression"):
        pii_config(data={"account_id_pattern": "ACCT-(\\d{6}"})
    with pytest.raises(WorkbenchError, match="matches empty text"):
        pii_config(data={"account_id_pattern": "\\d*"})


def test_precision_and_recall_by_hand_on_three_cases():
    class P:
        def __init__(self, type, text):
            self.type, self.text = type, text

    class Exp:
        def __init__(self, pii):
            self.pii = pii

    class Case:
        def __init__(self, id, input, pii):
            self.id, self.input, self.expected = id, input, Exp(pii)

    cases = [
        Case("a", "mail ana@example.com twice: ana@example.com", [P("email", "ana@example.com")]),  # 2 gold spans, 2 found
        Case("b", "write to ana dot lopez at example dot com", [P("email", "ana dot lopez at example dot com")]),  # in words: missed
        Case("c", "error code 555-0100 again", []),                      # a phone-shaped error code: false alarm
    ]
    scores = pii_detection_scores(cases).set_index("type")
    # gold spans: 2 (a) + 1 (b) = 3; detected: 2 (a) + 1 (c) = 3; true positives: 2
    assert scores.loc["all", ["gold", "detected", "true_positives"]].tolist() == [3, 3, 2]
    assert scores.loc["all", "precision"] == pytest.approx(2 / 3)
    assert scores.loc["all", "recall"] == pytest.approx(2 / 3)
    # e-mail: 2 detected, 2 right, of 3 gold; phone: 1 detected, 0 right, no gold
    assert scores.loc["email", "precision"] == 1.0 and scores.loc["email", "recall"] == pytest.approx(2 / 3)
    assert scores.loc["phone", "precision"] == 0.0 and pd.isna(scores.loc["phone", "recall"])
    table = pii_detection_table(cases).set_index("case_id")
    assert table.loc["b", "missed"] == "email:ana dot lopez at example dot com"
    assert table.loc["c", "false_alarms"] == "phone:555-0100"


def test_on_the_golden_set_every_annotated_span_is_found_and_nothing_else():
    golden = load_golden()
    cfg = PiiConfig(public_contacts=public_contacts(golden))
    scores = pii_detection_scores(golden.cases, cfg).set_index("type")
    n_gold = sum(len(gold_spans(c.input, c.expected.pii)) for c in golden.cases)
    assert scores.loc["all", "gold"] == n_gold > 40
    # computed, not typed in: the detector's spans equal the annotations on this set
    assert scores.loc["all", "true_positives"] == n_gold
    assert scores.loc["all", "detected"] == n_gold
    for kind in ("email", "account_id", "phone", "card"):
        assert scores.loc[kind, "gold"] > 0


def test_golden_pii_cases_round_trip_and_send_nothing_personal():
    golden = load_golden()
    cfg = PiiConfig(public_contacts=public_contacts(golden))
    pii_cases = [c for c in golden.cases if c.expected.pii]
    assert len(pii_cases) >= 20
    for c in pii_cases:
        r = redact_pii(c.input, cfg.account_id_pattern, ignore=cfg.public_contacts)
        assert r.restore(r.text) == c.input, c.id
        for p in c.expected.pii:
            assert p.text not in r.text, c.id
        assert detect_pii(r.text, ignore=cfg.public_contacts) == [], c.id


def test_a_card_followed_by_another_number_is_still_found():
    # found by the property test: '0000 0000 0000 0018 0' is 17 digits that fail Luhn, but its first
    # four groups are a valid 16-digit number (the check digit 8 makes the sum 10)
    assert kinds("card 0000 0000 0000 0018 0 please") == [("card", "0000 0000 0000 0018")]
    assert kinds("4111 1111 1111 1111 2 times") == [("card", "4111 1111 1111 1111")]
    # an ungrouped long reference number is not searched for a Luhn-valid window
    assert kinds("tracking 41111111111111110000") == []
