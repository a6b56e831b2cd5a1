from __future__ import annotations

from calls.analysis.sentiment import sentiment_analyze


def test_a_happy_caller_is_positive() -> None:
    result = sentiment_analyze(["Thank you so much, that's wonderful!", "Perfect, great."])
    assert result.label == "positive" and result.score > 0.5


def test_an_angry_caller_is_negative() -> None:
    result = sentiment_analyze(["This is terrible, my hair is ruined.", "I am furious."])
    assert result.label == "negative" and result.score < -0.3


def test_the_trend_compares_the_first_third_with_the_last() -> None:
    lines = [
        "This is awful, I'm so upset.",
        "Hmm okay.",
        "Well.",
        "Okay.",
        "Oh great, thank you so much!",
        "Wonderful.",
    ]
    result = sentiment_analyze(lines)
    assert result.trend == "improving"
    assert result.first < 0 < result.last
    assert sentiment_analyze(list(reversed(lines))).trend == "worsening"


def test_a_call_where_the_caller_says_nothing_is_neutral() -> None:
    result = sentiment_analyze([])
    assert (result.label, result.score, result.trend) == ("neutral", 0.0, "steady")


def test_sarcasm_reads_as_negative() -> None:
    result = sentiment_analyze(
        [
            "Oh great. Just great. Third time you've lost my booking. Fantastic service, really.",
            "Whatever. Fine.",
        ]
    )
    assert result.label == "negative"
    assert 0 in result.sarcastic


def test_a_caller_describing_danger_politely_is_not_positive() -> None:
    result = sentiment_analyze(
        ["Hi, sorry to bother you, my chest feels heavy and it goes into my jaw, please help."]
    )
    assert result.label == "negative"


def test_spanish_thanks_and_complaints_are_read() -> None:
    assert sentiment_analyze(["¡Genial! Me salvó la vida, muchas gracias."]).label == "positive"
    assert sentiment_analyze(["Es una vergüenza, quiero mi dinero de vuelta."]).label == "negative"


def test_the_end_of_the_call_weighs_more_than_its_start() -> None:
    result = sentiment_analyze(
        [
            "This is so frustrating, the website is broken.",
            "I need a haircut before Friday.",
            "Oh that's perfect, thank you so much, you've saved my week!",
        ]
    )
    assert result.label == "positive"
