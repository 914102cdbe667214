"""The one text fold every detector runs on, and its map back to the original."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text import fold, fold_text


@pytest.mark.parametrize(
    "text, folded",
    [
        ("１３８１２３４５６７８", "13812345678"),
        ("li＠example．com", "li@example.com"),
        ("ＱＸ－１２３４５６", "QX-123456"),
        ("a\u3000b\u00a0c\u2009d", "a b c d"),  # ideographic, no-break and thin spaces
        ("4111\u200b1111\u00ad1111\ufeff1111", "4111111111111111"),  # zero-width and soft hyphen
        ("138–1234—5678", "138-1234-5678"),
        ("example。com", "example.com"),
        ("￥１２．００，谢谢！", "¥12.00,谢谢!"),
        ("١٢٣ ४५६", "123 456"),  # Arabic-Indic and Devanagari digits
        ("①②", "①②"),  # not NFKC'd: a circled list marker is no digit of a number
        ("plain ascii", "plain ascii"),
    ],
)
def test_fold(text, folded):
    assert fold_text(text) == folded


def test_spans_map_back_to_the_original_text():
    text = "手机：１３８\u200b１２３４　５６７８。"
    folded = fold(text)
    start = folded.text.index("138")
    end = folded.text.index("5678") + 4
    assert folded.span(start, end) == (3, 16)
    assert text[3:16] == "１３８\u200b１２３４　５６７８"
    with pytest.raises(ValueError):
        folded.span(3, 3)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.text())
def test_every_folded_character_points_at_the_character_it_came_from(text):
    folded = fold(text)
    assert len(folded.starts) == len(folded.ends) == len(folded.text)
    for i, ch in enumerate(folded.text):
        source = text[folded.starts[i]:folded.ends[i]]
        assert len(source) == 1 and ch in fold_text(source)
    assert fold_text(folded.text) == folded.text  # folding is idempotent
