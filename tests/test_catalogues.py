"""Every user-facing string is in the four catalogues, translated, with the same placeholders."""

import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ROOT

LANGUAGES = ("fr", "nl", "de", "en")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def catalogue(language: str):
    with open(ROOT / "locales" / language / "LC_MESSAGES" / "messages.po", encoding="utf-8") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "N_",
                    "--no-location", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with open(pot, encoding="utf-8") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_of_the_code_is_in_the_catalogue(language, extracted):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(language) if m.id}
    assert sorted(extracted - ids) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_the_same_placeholders(language):
    for message in catalogue(language):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strings), f"{language}: no translation for {ids[0]!r}"
        assert not message.fuzzy, f"{language}: fuzzy translation for {ids[0]!r}"
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(ids[0])), (language, ids[0], text)
