"""Every loading and checking rule: a bad record, the exact message and its position."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.content.errors import ContentErrors
from generator.content.load import load_file
from generator.content.records import RecordCache
from generator.site.link import build_site
from tests.conftest import ACTORS, CLAIM, EVENT, ContentFactory

P = "content/events/2024/bad.yaml"
LINK = (
    "the link to %r is removed: links must be http(s), mailto or to a page of this site "
    "(briefs/<id>.md, actors/<id>.md)"
)


def errors_for(make_content: ContentFactory, text: str | bytes, **kwargs: object) -> list[str]:
    root = make_content(**kwargs)
    path = root / "events" / "2024" / "bad.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        build_site(root)
    return [str(e) for e in caught.value.errors]


def edit(old: str, new: str, text: str = EVENT) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


CASES = {
    # strict YAML
    "duplicate key": (
        edit("type: missile-launch\n", "type: missile-launch\ntype: statement\n"),
        f"{P}:5:1: type: duplicate key 'type' (first on line 4)",
    ),
    "anchor": (
        edit("status: developing", "status: &s developing"),
        f"{P}:5:9: status: anchors (&s) are not allowed: write the value out",
    ),
    "alias": (
        edit("status: developing", "status: *s"),
        f"{P}:5:9: status: aliases (*s) are not allowed: write the value out",
    ),
    "tag": (
        edit('facts:\n  Missiles: "1"', "facts:\n  Missiles: !!int 1"),
        f"{P}:26:13: facts.Missiles: tags (tag:yaml.org,2002:int) are not allowed: every value is read as text",
    ),
    "multiple documents": (
        EVENT + "---\ntitle: x\n",
        f"{P}:35:1: only one YAML document per file (remove the '---')",
    ),
    "empty file": ("# nothing here\n", f"{P}:2:1: file is empty: a record is a mapping of fields"),
    "top level list": (
        "- title: x\n",
        f"{P}:1:1: the top level must be a mapping of fields (key: value)",
    ),
    "not utf-8": (
        EVENT.encode() + b"body: caf\xe9\n",
        f"{P}:35:10: file is not UTF-8 text (save it as UTF-8)",
    ),
    "oversized": (
        "body: " + "a" * 300_000 + "\n",
        f"{P}:1:1: file is 292 KB; records are limited to 32 KB",
    ),
    "syntax error": (
        "title: [unclosed\n",
        f"{P}:2:1: YAML syntax error: did not find expected ',' or ']'",
    ),
    "raw control character": (
        edit("  - id: north-korea", "  - id: north\x07-korea"),
        f"{P}:14:14: the control character U+0007 is not allowed in YAML files",
    ),
    "raw control character after non-ASCII text": (
        edit("title: Suspected", "title: Suspecté\x1b"),
        f"{P}:1:16: the control character U+001B is not allowed in YAML files",
    ),
    "lists nested 990 deep": (
        EVENT + "body: " + "[" * 990 + "]" * 990 + "\n",
        [
            f"{P}:35:7: body: expected text, found a list",
            f"{P}:35:26: body{'[0]' * 19}: nested too deep: values may nest at most 20 levels",
        ],
    ),
    "mappings nested 990 deep": (
        EVENT + "body: " + "{a: " * 990 + "}" * 990 + "\n",
        [
            f"{P}:35:7: body: expected text, found a mapping",
            f"{P}:35:83: body{'.a' * 19}: nested too deep: values may nest at most 20 levels",
        ],
    ),
    "nesting beyond the YAML parser's limit": (
        EVENT + "body: " + "[" * 2_000 + "]" * 2_000 + "\n",
        f"{P}:35:1006: YAML syntax error: exceeded maximum nesting depth",
    ),
    "duplicate key does not stop the checks": (
        edit("type: missile-launch\n", "type: missile-launch\ntype: statement\n").replace(
            "  - rok-jcs\n", "  - rok-jsc\n"
        ),
        [
            f"{P}:5:1: type: duplicate key 'type' (first on line 4)",
            f"{P}:17:5: actors[1]: unknown actor 'rok-jsc' (did you mean 'rok-jcs'?)",
        ],
    ),
    # schema
    "unknown field": (
        edit("actors:", "acters:"),
        [
            f"{P}:1:1: missing required field 'actors'",
            f"{P}:13:1: acters: unknown field 'acters' (did you mean 'actors'?)",
        ],
    ),
    "key with brackets": (
        edit("type: missile-launch", "t[]: missile-launch"),
        [f"{P}:1:1: missing required field 'type'", f"{P}:4:1: t[]: unknown field 't[]'"],
    ),
    "key with a line break stays on one line": (
        edit('facts:\n  Missiles: "1"', 'facts:\n  "Miss\\niles": "1"'),
        f"{P}:26:17: facts.Miss\\niles: must be a single line",
    ),
    "value with a line break stays on one line": (
        edit('date: "2024-06-26"', 'date: "2024\\n06"'),
        f"{P}:2:7: date: '2024\\n06' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD, "
        "optionally followed by ~ (approximate) or ? (uncertain)",
    ),
    "missing field": (
        edit("status: developing\n", ""),
        f"{P}:1:1: missing required field 'status'",
    ),
    "title too long": (
        edit("title: Suspected ballistic missile launch", "title: " + "x" * 151),
        f"{P}:1:8: title: is 151 characters long; the limit is 150",
    ),
    "title two lines": (
        edit("title: Suspected ballistic missile launch", 'title: "two\\nlines"'),
        f"{P}:1:8: title: must be a single line",
    ),
    "control character": (
        edit("title: Suspected ballistic missile launch", 'title: "bell\\a"'),
        f"{P}:1:8: title: contains the control character U+0007",
    ),
    "bidi override": (
        edit("title: Suspected ballistic missile launch", "title: launch \u202eevil"),
        f"{P}:1:8: title: contains the invisible bidi control U+202E, which can disguise text",
    ),
    # characters no field may hold: raw, as a YAML escape, or as a character reference
    "bidi mark": (
        edit("  name: Pyongyang area", "  name: Pyongyang \u200farea"),
        f"{P}:8:9: location.name: contains the invisible bidi control U+200F, which can disguise text",
    ),
    "noncharacter as a YAML escape": (
        edit("title: Suspected ballistic missile launch", 'title: "launch \\uFFFE evil"'),
        f"{P}:1:8: title: contains the noncharacter U+FFFE, which is not text",
    ),
    "noncharacter written raw": (
        edit("title: Suspected ballistic missile launch", "title: launch \ufffe evil"),
        f"{P}:1:15: the noncharacter U+FFFE is not allowed in YAML files",
    ),
    "noncharacter of another plane written raw": (
        edit("  role: launched the missile", "  role: launched \U0010fffe the missile"),
        f"{P}:15:11: actors[0].role: contains the noncharacter U+10FFFE, which is not text",
    ),
    "noncharacter in Arabic presentation forms": (
        edit("said: The launch", "said: The \ufdd0launch"),
        f"{P}:19:11: claims[0].said: contains the noncharacter U+FDD0, which is not text",
    ),
    "C1 control as a YAML escape": (
        edit(
            "summary: North Korea fired what appeared to be a ballistic missile.",
            'summary: "North Korea\\x9b fired."',
        ),
        f"{P}:6:10: summary: contains the control character U+009B",
    ),
    "bidi override as a character reference": (
        edit("  text: A failure is likely.", "  text: A &#x202E;failure is likely."),
        f"{P}:23:9: assessment.text: contains the invisible bidi control U+202E (written as &#x202E;), which can disguise text",
    ),
    "bidi isolate as a decimal reference without its semicolon": (
        edit("said: The launch", "said: The &#8294launch"),
        f"{P}:19:11: claims[0].said: contains the invisible bidi control U+2066 (written as &#8294), which can disguise text",
    ),
    "bidi mark as a named reference in a fact's label": (
        edit('facts:\n  Missiles: "1"', 'facts:\n  "Miss&rlm;iles": "1"'),
        f"{P}:26:20: facts.Miss&rlm;iles: contains the invisible bidi control U+200F (written as &rlm;), which can disguise text",
    ),
    "noncharacter as a reference in a plain-text field": (
        edit("    publisher: Korea Herald", "    publisher: Korea Herald &#xFFFF;"),
        f"{P}:30:16: sources[0].publisher: contains the noncharacter U+FFFF (written as &#xFFFF;), which is not text",
    ),
    "C1 control as a reference, leading zeros and all": (
        edit("  text: A failure is likely.", "  text: A &#x0000085; failure."),
        f"{P}:23:9: assessment.text: contains the control character U+0085 (written as &#x0000085;)",
    ),
    "line break as a reference in a one-line field": (
        edit("title: Suspected ballistic missile launch", "title: two&#10;lines"),
        f"{P}:1:8: title: contains the control character U+000A (written as &#10;)",
    ),
    "impossible date": (
        edit('date: "2024-06-26"', 'date: "2024-02-30"'),
        f"{P}:2:7: date: '2024-02-30' is not a real calendar date",
    ),
    "reversed interval": (
        edit('date: "2024-06-26"\ntime: "05:30"', 'date: "2024-06-29/2024-06-27"'),
        f"{P}:2:7: date: interval '2024-06-29/2024-06-27' ends before it starts",
    ),
    "date not edtf": (
        edit('date: "2024-06-26"', "date: 26 June 2024"),
        f"{P}:2:7: date: '26 June 2024' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD, "
        "optionally followed by ~ (approximate) or ? (uncertain)",
    ),
    "year zero": (
        edit('date: "2024-06-26"\ntime: "05:30"', 'date: "0000"'),
        f"{P}:2:7: date: '0000' is not a date: there is no year 0000 (years start at 0001)",
    ),
    "year zero in an interval": (
        edit('date: "2024-06-26"\ntime: "05:30"', 'date: "0000-01/2024"'),
        f"{P}:2:7: date: '0000-01' is not a date: there is no year 0000 (years start at 0001)",
    ),
    "year zero in a claim date": (
        edit('    date: "2024-06-26"\n    sources: [jcs]', '    date: "0000"\n    sources: [jcs]'),
        f"{P}:20:11: claims[0].date: '0000' is not a date: there is no year 0000 (years start at 0001)",
    ),
    "year zero in a source date": (
        edit('    date: "2024-06-26"\n    url:', '    date: "0000-06"\n    url:'),
        f"{P}:32:11: sources[0].date: '0000-06' is not a date: there is no year 0000 (years start at 0001)",
    ),
    "year zero in published": (
        edit('published: "2024-06-26"', 'published: "0000-01-01"'),
        f"{P}:34:12: published: '0000-01-01' is not a date: there is no year 0000 (years start at 0001)",
    ),
    "arabic-indic digits in a date": (
        edit('date: "2024-06-26"', 'date: "\u0662\u0660\u0662\u0664-06-26"'),
        f"{P}:2:7: date: '\u0662\u0660\u0662\u0664-06-26' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD, "
        "optionally followed by ~ (approximate) or ? (uncertain)",
    ),
    "arabic-indic digits in published": (
        edit('published: "2024-06-26"', 'published: "2024-06-\u0662\u0666"'),
        f"{P}:34:12: published: '2024-06-\u0662\u0666' is not a day: use YYYY-MM-DD",
    ),
    "arabic-indic digits in a time": (
        edit('time: "05:30"', 'time: "0\u0665:30"'),
        f"{P}:3:7: time: '0\u0665:30' is not a local time: use HH:MM (24 h), e.g. \"05:30\"",
    ),
    "underscore in a number": (
        edit("lat: 39.03", 'lat: "3_9"'),
        f"{P}:10:8: location.lat: '3_9' is not a number: write decimal degrees, e.g. 39.03",
    ),
    "exponent in a number": (
        edit("lon: 125.75", "lon: 1.2e2"),
        f"{P}:11:8: location.lon: '1.2e2' is not a number: write decimal degrees, e.g. 39.03",
    ),
    "arabic-indic digits in a number": (
        edit("lat: 39.03", "lat: \u0663\u0669"),
        f"{P}:10:8: location.lat: '\u0663\u0669' is not a number: write decimal degrees, e.g. 39.03",
    ),
    "bad time": (
        edit('time: "05:30"', 'time: "25:10"'),
        f"{P}:3:7: time: '25:10' is not a local time: use HH:MM (24 h), e.g. \"05:30\"",
    ),
    "time without day": (
        edit('date: "2024-06-26"', 'date: "2024-06"'),
        f"{P}:3:7: time: a time needs a single-day date (YYYY-MM-DD), not '2024-06'",
    ),
    "latitude out of range": (
        edit("lat: 39.03", "lat: 91"),
        f"{P}:10:8: location.lat: 91 is out of range (must be less than or equal to 90)",
    ),
    "lat without lon": (
        edit("  lon: 125.75\n", ""),
        f"{P}:8:3: location: give lat and lon together (lon is missing)",
    ),
    "country code": (
        edit("country: KP", "country: XX"),
        f"{P}:9:12: location.country: 'XX' is not an ISO 3166-1 alpha-2 country code (e.g. KP, KR, JP)",
    ),
    "javascript url": (
        edit(
            "url: https://www.koreaherald.com/view.php?ud=20240626050038",
            "url: JavaScript:alert(1)",
        ),
        f"{P}:33:10: sources[0].url: 'JavaScript:alert(1)' is not allowed: URLs must start with http:// or https://",
    ),
    "data url": (
        edit(
            "url: https://www.koreaherald.com/view.php?ud=20240626050038", "url: data:text/html,hi"
        ),
        f"{P}:33:10: sources[0].url: 'data:text/html,hi' is not allowed: URLs must start with http:// or https://",
    ),
    "bracket in a web address": (  # found by the mutation fuzz test: MkDocs crashed on it
        edit("www.koreaherald.com", "www.koreaher]ald.com"),
        f"{P}:33:10: sources[0].url: 'https://www.koreaher]ald.com/view.php?ud=20240626050038' is not a valid web address",
    ),
    "raw html": (
        edit("summary: North Korea", "summary: <script>alert(1)</script> North Korea"),
        f"{P}:6:10: summary: raw HTML '<script>' (and 1 more) is removed: write Markdown, or put it in `code`",
    ),
    "attribute list": (
        edit(
            "  text: A failure is likely.",
            '  text: |-\n    A failure is likely.\n    {: onclick="alert(1)" }',
        ),
        f'{P}:23:9: assessment.text: the attribute list {{onclick="alert(1)"}} is removed: records cannot set attributes',
    ),
    "markdown javascript link": (
        edit("  text: A failure is likely.", "  text: '[click](javascript:alert(1))'"),
        f"{P}:23:9: assessment.text: {LINK % 'javascript:alert(1)'}",
    ),
    # What Markdown itself reads, not what a pattern over the source guesses (issue 14's families)
    "escaped backtick before a tag": (
        edit(
            "summary: North Korea",
            "summary: Launch \\`<img src=x onerror=alert(1)>` today. North Korea",
        ),
        f"{P}:6:10: summary: raw HTML '<img src=x onerror=alert(1)>' is removed: write Markdown, or put it in `code`",
    ),
    "autolink-looking tag": (
        edit(
            "said: The launch",
            "said: KCNA said <mailto:x autofocus onfocus=alert(1)> it. The launch",
        ),
        f"{P}:19:11: claims[0].said: raw HTML '<mailto:x autofocus onfocus=alert(1)>' is removed: write Markdown, or put it in `code`",
    ),
    "two backticks are no fence": (
        edit(
            "  text: A failure is likely.", "  text: |-\n    ``\n    <img src=x onerror=alert(1)>"
        ),
        f"{P}:23:9: assessment.text: raw HTML '<img src=x onerror=alert(1)>' is removed: write Markdown, or put it in `code`",
    ),
    "attribute list behind a quoted brace": (
        edit(
            "  text: A failure is likely.",
            """  text: '[a](https://example.com){1="}" onclick=alert(1)}'""",
        ),
        f"""{P}:23:9: assessment.text: the attribute list {{1="}}" onclick=alert(1)}} is removed: records cannot set attributes""",
    ),
    "javascript reference in a quote": (
        edit(
            "  text: A failure is likely.",
            "  text: |-\n    > [a]: javascript:alert(1)\n    > [x][a]",
        ),
        f"{P}:23:9: assessment.text: {LINK % 'javascript:alert(1)'}",
    ),
    "encoded scheme": (
        edit("  text: A failure is likely.", "  text: '[x](javascript&#58;alert(1))'"),
        f"{P}:23:9: assessment.text: {LINK % 'javascript&#58;alert(1)'}",
    ),
    "tab in the scheme": (
        edit("  text: A failure is likely.", '  text: "[x](java\\tscript:alert(1))"'),
        f"{P}:23:9: assessment.text: {LINK % 'java script:alert(1)'}",
    ),
    "link to a missing brief": (
        edit("  text: A failure is likely.", "  text: 'See [the claim](briefs/clam.md#claims).'"),
        f"{P}:23:9: assessment.text: links to 'briefs/clam.md#claims': no event 'clam' (did you mean 'claim'?)",
    ),
    "mailto with a query": (
        edit(
            "  text: A failure is likely.",
            "  text: '[Tell us](mailto:tips@example.org?bcc=all@example.org&subject=Hi)'",
        ),
        f"{P}:23:9: assessment.text: the link to 'mailto:tips@example.org?bcc=all@example…' is removed: a mailto link holds one address and nothing else (no ?subject=, cc=, bcc= or body=)",
    ),
    "link climbing out of the site": (
        edit("  text: A failure is likely.", "  text: 'See [it](briefs/../../../../x).'"),
        f"{P}:23:9: assessment.text: the link to 'briefs/../../../../x' is removed: a link to a page of this site is its path from the site root, without '..' (briefs/<id>.md, actors/<id>.md)",
    ),
    "link climbing out with percent-encoded dots": (
        edit("  text: A failure is likely.", "  text: 'See [it](%2e%2e/%2e%2e/x).'"),
        f"{P}:23:9: assessment.text: {LINK % '%2e%2e/%2e%2e/x'}",
    ),
    "link to a missing brief, written another way": (
        edit("  text: A failure is likely.", "  text: 'See [the claim](./briefs//clam.md).'"),
        f"{P}:23:9: assessment.text: links to 'briefs/clam.md': no event 'clam' (did you mean 'claim'?)",
    ),
    "image": (
        edit("  text: A failure is likely.", "  text: '![x](https://tracker.example/p.png)'"),
        f"{P}:23:9: assessment.text: the image 'https://tracker.example/p.png' is removed: link to it instead",
    ),
    "nested too deep": (
        edit("  text: A failure is likely.", "  text: '" + ">" * 21 + " deep'"),
        f"{P}:23:9: assessment.text: line 1 nests too deep: lists and quotes nest at most 20 levels (at most 20 '>' and 80 columns of indentation)",
    ),
    "indented too deep": (
        edit("  text: A failure is likely.", '  text: "x\\n' + " " * 81 + 'y"'),
        f"{P}:23:9: assessment.text: line 2 nests too deep: lists and quotes nest at most 20 levels (at most 20 '>' and 80 columns of indentation)",
    ),
    "indented too deep with tabs": (
        edit("  text: A failure is likely.", '  text: "x\\n' + "\\t" * 21 + 'y"'),
        f"{P}:23:9: assessment.text: line 2 nests too deep: lists and quotes nest at most 20 levels (at most 20 '>' and 80 columns of indentation)",
    ),
    "too many links": (
        edit("  text: A failure is likely.", "  text: '" + "[a](b) " * 1001 + "'"),
        f"{P}:23:9: assessment.text: holds 1001 links; a field holds at most 1000 (count of '](')",
    ),
    "too many links by reference": (
        edit(
            "  text: A failure is likely.",
            "  text: |-\n    [r]: https://x.example/\n\n    " + "[r], " * 1001,
        ),
        f"{P}:23:9: assessment.text: holds more than 1000 links and images, inline and by reference; a field holds at most 1000",
    ),
    "summary two paragraphs": (
        edit(
            "summary: North Korea fired", "summary: |-\n  One.\n\n  Two.\nbody: North Korea fired"
        ),
        f"{P}:6:10: summary: must be one paragraph (no blank lines)",
    ),
    "no sources": (
        EVENT.rsplit("sources:", 1)[0] + "sources: []\npublished: '2024-06-26'\n",
        [  # both in the first run: the claim cites a source that is gone
            f"{P}:21:15: claims[0].sources[0]: unknown source key 'jcs'",
            f"{P}:28:10: sources: needs at least 1 item(s)",
        ],
    ),
    "too many tags": (
        edit("tags: [missile]", "tags: [" + ", ".join(f"t{n}" for n in range(31)) + "]"),
        f"{P}:27:7: tags: has 31 items; the limit is 30",
    ),
    "too many facts": (
        edit(
            'facts:\n  Missiles: "1"', "facts: {" + ", ".join(f"f{n}: x" for n in range(51)) + "}"
        ),
        f"{P}:25:8: facts: has 51 items; the limit is 50",
    ),
    "list expected": (
        edit("tags: [missile]", "tags: missile"),
        f"{P}:27:7: tags: expected a list, found text",
    ),
    # references and consistency
    "unknown actor": (
        edit("  - rok-jcs\n", "  - rok-jsc\n"),
        f"{P}:16:5: actors[1]: unknown actor 'rok-jsc' (did you mean 'rok-jcs'?)",
    ),
    "unknown claimant": (
        edit("  - by: rok-jcs", "  - by: kim-jong-um"),
        f"{P}:18:9: claims[0].by: unknown actor 'kim-jong-um' (did you mean 'kim-jong-un'?)",
    ),
    "unknown source key": (
        edit("sources: [jcs]", "sources: [jsc]"),
        f"{P}:21:15: claims[0].sources[0]: unknown source key 'jsc' (did you mean 'jcs'?)",
    ),
    "unknown coordinates source": (
        edit("  precision: region\n", "  precision: region\n  source: atlas\n"),
        f"{P}:13:11: location.source: unknown source key 'atlas'",
    ),
    "unknown type": (
        edit("type: missile-launch", "type: missile-lunch"),
        f"{P}:4:7: type: unknown event type 'missile-lunch' (did you mean 'missile-launch'?)",
    ),
    "unknown confidence": (
        edit("confidence: high", "confidence: certain"),
        f"{P}:24:15: assessment.confidence: unknown confidence level 'certain'",
    ),
    "duplicate source key": (
        edit("published:", "  - key: jcs\n    publisher: KBS\n    title: Another\npublished:"),
        f"{P}:34:5: sources[1]: duplicate source key 'jcs'",
    ),
    "related unknown event": (
        edit("tags: [missile]", "tags: [missile]\nrelated:\n  - id: lunch\n    relation: context"),
        f"{P}:29:9: related[0].id: unknown event 'lunch' (did you mean 'launch'?)",
    ),
    "self relation": (
        edit("tags: [missile]", "tags: [missile]\nrelated:\n  - id: bad\n    relation: context"),
        f"{P}:29:9: related[0].id: an event cannot be related to itself",
    ),
    "unknown relation": (
        edit("tags: [missile]", "tags: [missile]\nrelated:\n  - id: launch\n    relation: caused"),
        f"{P}:30:15: related[0].relation: unknown relation 'caused'",
    ),
    # former ids (redirects)
    "former id of a live event": (
        EVENT + "former_ids: [launch]\n",
        f"{P}:35:14: former_ids[0]: former id 'launch' is the id of a live event "
        "(content/events/2024/launch.yaml)",
    ),
    "former id is its own": (
        EVENT + "former_ids: [bad]\n",
        f"{P}:35:14: former_ids[0]: 'bad' is this event's own id: list only the ids it had before",
    ),
    "former id reserved": (
        EVENT + "former_ids: [index]\n",
        f"{P}:35:14: former_ids[0]: 'index' is reserved: it cannot be a former id",
    ),
    "duplicate former id": (
        EVENT + "former_ids: [old, old]\n",
        f"{P}:35:19: former_ids[1]: duplicate former id 'old'",
    ),
    "draft not a flag": (
        EVENT + "draft: maybe\n",
        f"{P}:35:8: draft: Input should be a valid boolean, unable to interpret input",
    ),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_bad_record_reports_message_and_position(
    make_content: ContentFactory, text: str, expected: str | list[str]
) -> None:
    assert errors_for(make_content, text) == (
        expected if isinstance(expected, list) else [expected]
    )


def test_every_error_is_collected_and_sorted(make_content: ContentFactory) -> None:
    root = make_content(
        events={"b-second": edit("type: missile-launch", "type: nope"), "a-first": "- x\n"},
        actors={"ghost": "name: Ghost\nkind: spirit\nsummary: Nobody.\naffiliation: nowhere\n"},
    )
    with pytest.raises(ContentErrors) as caught:
        build_site(root)
    assert [str(e) for e in caught.value.errors] == [
        "content/actors/ghost.yaml:2:7: kind: unknown actor kind 'spirit'",
        "content/actors/ghost.yaml:4:14: affiliation: unknown actor 'nowhere'",
        "content/events/2024/a-first.yaml:1:1: the top level must be a mapping of fields (key: value)",
        "content/events/2024/b-second.yaml:4:7: type: unknown event type 'nope'",
    ]


def test_file_names_are_ids(make_content: ContentFactory) -> None:
    root = make_content(events={"index": EVENT, "Bad_Name": EVENT})
    (root / "events" / "2023").mkdir(exist_ok=True)
    (root / "events" / "2023" / "launch.yaml").write_text(EVENT, encoding="utf-8")
    (root / "actors" / "rok-jcs.yml").write_text("name: x\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        build_site(root)
    assert [str(e) for e in caught.value.errors] == [
        "content/actors/rok-jcs.yml:1:1: use the .yaml extension",
        "content/events/2024/Bad_Name.yaml:1:1: file name 'Bad_Name' is not a valid id: "
        "lowercase a-z and 0-9 words joined by hyphens, at most 80 characters",
        "content/events/2024/index.yaml:1:1: 'index' is reserved; choose another file name",
        "content/events/2024/launch.yaml:1:1: duplicate id 'launch': also content/events/2023/launch.yaml",
    ]


def test_affiliation_loop(make_content: ContentFactory) -> None:
    a = "name: A\nkind: state\nsummary: A.\naffiliation: b\n"
    b = "name: B\nkind: state\nsummary: B.\naffiliation: a\n"
    root = make_content(actors={"a": a, "b": b})
    with pytest.raises(ContentErrors) as caught:
        build_site(root)
    assert [str(e) for e in caught.value.errors] == [
        "content/actors/a.yaml:4:14: affiliation: affiliations form a loop: a -> b -> a",
        "content/actors/b.yaml:4:14: affiliation: affiliations form a loop: b -> a -> b",
    ]


def test_tricky_but_valid_record_loads_as_written(make_content: ContentFactory) -> None:
    tricky = "\ufefftitle: yes\n" + EVENT.split("\n", 1)[1].replace(
        'time: "05:30"', "time: 05:30"
    ).replace("country: KP", "country: NO").replace(
        'Missiles: "1"', "Missiles: 1.10\n  Mode: 0755\n  Flag: off"
    )
    root = make_content(events={"tricky": tricky})
    event = build_site(root).event_by_id["tricky"].record
    assert event.title == "yes"
    assert event.time == "05:30"
    assert event.location is not None and event.location.country == "NO"
    assert event.facts == {"Missiles": "1.10", "Mode": "0755", "Flag": "off"}


def test_character_references_are_text_not_raw_html(make_content: ContentFactory) -> None:
    # Python-Markdown keeps them as it keeps raw HTML; they are published as the character.
    text = "summary: Seoul &amp; Tokyo said so ([source](https://x.example/)) &copy;"
    root = make_content(events={"refs": edit("summary: North Korea", text)})
    summary = build_site(root).event_by_id["refs"].record.summary
    assert summary.startswith("Seoul &amp; Tokyo")


@pytest.mark.parametrize(
    "odd",
    [
        "title: again\n",  # a duplicate key
        "extra: !odd x\n",  # a tag
        "deep: " + "[" * 30 + "]" * 30 + "\n",  # nested too deep
        "---\ntitle: x\n",  # a second document
    ],
)
def test_positions_found_later_are_those_noted_while_reading(tmp_path: Path, odd: str) -> None:
    # A plain file is read without positions, and read again for them when one is asked for;
    # a file with something to note (appended at the end here) has them noted as it is read.
    plain_file, odd_file = tmp_path / "plain.yaml", tmp_path / "odd.yaml"
    plain_file.write_text(EVENT, encoding="utf-8")
    odd_file.write_text(EVENT + odd, encoding="utf-8")
    plain = load_file(plain_file)
    assert plain.located is None
    assert plain.position(("actors", 1)) == (16, 5)
    assert plain.located is not None and plain.text is None
    try:
        noted = load_file(odd_file)
    except ContentErrors:  # (the second document stops the reading: its walk is the same)
        return
    assert noted.problems
    assert plain.data.items() <= noted.data.items()
    assert plain.values.items() <= noted.values.items()
    assert plain.keys.items() <= noted.keys.items()


def test_shipped_content_passes() -> None:
    content = Path(__file__).parent.parent / "content"
    site = build_site(content)
    assert "2024-06-26-suspected-ballistic-missile-launch" in site.event_by_id


def test_record_cache_rereads_only_changed_files(make_content: ContentFactory) -> None:
    root = make_content()
    cache = RecordCache()
    first = build_site(root, cache=cache)
    assert len(cache.files) == 8  # four events, four actors
    path = root / "events" / "2024" / "claim.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('title: "Claim', 'title: "Edited claim'),
        encoding="utf-8",
    )
    second = build_site(root, cache=cache)
    assert second.event_by_id["claim"].record.title.startswith("Edited claim with")
    assert second.event_by_id["launch"].record is first.event_by_id["launch"].record  # not re-read
    path.write_text("title: [broken\n", encoding="utf-8")
    with pytest.raises(ContentErrors):
        build_site(root, cache=cache)  # a cached good version never hides a broken file


def test_record_cache_checks_unchanged_events_again_when_what_they_refer_to_changes(
    make_content: ContentFactory,
) -> None:
    root = make_content()
    cache = RecordCache()
    build_site(root, cache=cache)
    (root / "actors" / "rok-jcs.yaml").unlink()  # the unchanged events name it
    for _ in range(2):  # a failed event is not remembered as checked either
        with pytest.raises(ContentErrors) as caught:
            build_site(root, cache=cache)
        assert "content/events/2024/launch.yaml:16:5: actors[1]: unknown actor 'rok-jcs'" in str(
            caught.value
        )


def _errors(root: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        build_site(root)
    return [str(e) for e in caught.value.errors]


def test_file_name_spellings_are_refused_not_skipped(make_content: ContentFactory) -> None:
    root = make_content()
    for name in ("upper.YAML", "mixed.Yaml", "...yaml", ".hidden.yaml"):
        (root / "events" / "2024" / name).write_text(EVENT, encoding="utf-8")
    (root / "events" / "2024" / ".#launch.yaml").symlink_to("root@host.1234")  # Emacs lock
    (root / "events" / "2024" / "notes.txt").write_text("not a record", encoding="utf-8")
    assert _errors(root) == [
        "content/events/2024/...yaml:1:1: file name '..' is not a valid id: lowercase a-z and 0-9 words joined by hyphens, at most 80 characters",
        "content/events/2024/.hidden.yaml:1:1: file name '.hidden' is not a valid id: lowercase a-z and 0-9 words joined by hyphens, at most 80 characters",
        "content/events/2024/mixed.Yaml:1:1: use the .yaml extension",
        "content/events/2024/upper.YAML:1:1: use the .yaml extension",
    ]


def test_records_must_be_regular_files_inside_content(
    make_content: ContentFactory, tmp_path: Path
) -> None:
    root = make_content()
    events = root / "events" / "2024"
    outside = tmp_path / "outside.yaml"
    outside.write_text(EVENT, encoding="utf-8")
    (events / "zero.yaml").symlink_to("/dev/zero")  # read, it would fill the memory
    (events / "away.yaml").symlink_to(outside)
    (events / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    os.mkfifo(events / "pipe.yaml")  # read, it would wait for a writer for ever
    (events / "inside.yaml").symlink_to(Path("launch.yaml"))  # a link within content/ is fine
    (events / "folder.yaml").mkdir()
    (root / "events" / "linked").symlink_to(tmp_path)
    with (events / "huge.yaml").open("wb") as sparse:  # the size comes from stat, unread
        sparse.truncate(300 * 1024)
    out = os.path.realpath(outside)
    assert _errors(root) == [
        f"content/events/2024/away.yaml:1:1: is a symbolic link to {out}, outside content/: content files must be inside the content folder",
        "content/events/2024/gone.yaml:1:1: is a symbolic link to "
        f"{tmp_path / 'nowhere.yaml'}, which does not exist",
        "content/events/2024/huge.yaml:1:1: file is 300 KB; records are limited to 32 KB",
        "content/events/2024/pipe.yaml:1:1: is a device, pipe or socket, not a regular file",
        "content/events/2024/zero.yaml:1:1: is a symbolic link to /dev/zero, outside content/: content files must be inside the content folder",
        "content/events/linked:1:1: is a symbolic link to a folder, which is not read: move the files into the content folder",
    ]


def test_hand_written_pages_follow_the_file_rules(
    make_content: ContentFactory, tmp_path: Path
) -> None:
    root = make_content()
    pages = root / "pages"
    (pages / "about.md").write_text("# About\n", encoding="utf-8")
    (pages / "logo.png").write_bytes(b"\x89PNG" + b"\0" * 300 * 1024)  # not Markdown: any size
    (pages / "big.md").write_text("x" * 300 * 1024, encoding="utf-8")
    (pages / "secrets.md").symlink_to("/etc/passwd")
    os.mkfifo(pages / "pipe.md")
    assert _errors(root) == [
        "content/pages/big.md:1:1: file is 300 KB; pages are limited to 256 KB",
        "content/pages/pipe.md:1:1: is a device, pipe or socket, not a regular file",
        "content/pages/secrets.md:1:1: is a symbolic link to /etc/passwd, outside content/: content files must be inside the content folder",
    ]


def test_events_folder_that_is_a_file_is_an_error(make_content: ContentFactory) -> None:
    root = make_content()
    shutil.rmtree(root / "events")
    (root / "events").write_text("oops", encoding="utf-8")
    assert _errors(root) == ["content/events:1:1: is not a folder: records go in a folder"]


UNREADABLE = "content/events/2024:1:1: cannot read folder: Permission denied"


def _check_as_nobody(tmp_path: Path) -> list[str]:
    """The check run in a forked child that gave up root (uid 65534), so that permissions
    apply for real; the working folder stays ``tmp_path``."""
    tmp_path.chmod(0o755)  # the child looks paths up from here
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        try:
            os.close(read)
            os.setgid(65534)
            os.setuid(65534)
            try:
                build_site(Path("content"))
                out = "ok"
            except ContentErrors as exc:
                out = "\n".join(str(e) for e in exc.errors)
            os.write(write, out.encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        out = pipe.read().decode()
    os.waitpid(pid, 0)
    return out.splitlines()


def test_unreadable_folder_is_an_error(make_content: ContentFactory, tmp_path: Path) -> None:
    root = make_content()
    (root / "events" / "2024").chmod(0)
    try:
        errors = _errors(root) if os.geteuid() != 0 else _check_as_nobody(tmp_path)
    finally:
        (root / "events" / "2024").chmod(0o755)
    assert errors == [UNREADABLE]


def test_one_run_reports_every_independent_problem(make_content: ContentFactory) -> None:
    """Issue 15, item 14: eleven mistakes in one file, all in the first run."""
    text = (
        edit("type: missile-launch\n", "type: missile-lunch\ntype: statement\n")
        .replace("title: Suspected ballistic missile launch", "title: " + "x" * 151)
        .replace("  - rok-jcs\n", "  - rok-jsc\n")
        .replace("  - by: rok-jcs", "  - by: kim-jong-um")
        .replace("confidence: high", "confidence: certain")
        .replace(
            "tags: [missile]",
            "tags: [missile, missile]\nrelated:\n  - id: lunch\n    relation: caused",
        )
        .replace("url: https://www.koreaherald.com/view.php?ud=20240626050038", "url: javascript:x")
        .replace('    date: "2024-06-26"\n    sources', '    date: "0000"\n    sources')
        .replace('  Missiles: "1"', "  Missiles: TODO")
        .replace("lat: 39.03", "lat: 3_9")
    )
    assert errors_for(make_content, text) == [
        f"{P}:1:8: title: is 151 characters long; the limit is 150",
        f"{P}:4:7: type: unknown event type 'missile-lunch' (did you mean 'missile-launch'?)",
        f"{P}:5:1: type: duplicate key 'type' (first on line 4)",
        f"{P}:11:8: location.lat: '3_9' is not a number: write decimal degrees, e.g. 39.03",
        f"{P}:17:5: actors[1]: unknown actor 'rok-jsc' (did you mean 'rok-jcs'?)",
        f"{P}:19:9: claims[0].by: unknown actor 'kim-jong-um' (did you mean 'kim-jong-un'?)",
        f"{P}:21:11: claims[0].date: '0000' is not a date: there is no year 0000 (years start at 0001)",
        f"{P}:25:15: assessment.confidence: unknown confidence level 'certain'",
        f"{P}:27:13: facts.Missiles: placeholder 'TODO' left by `briefing new`: replace it",
        f"{P}:28:17: tags[1]: duplicate tag 'missile'",
        f"{P}:30:9: related[0].id: unknown event 'lunch' (did you mean 'launch'?)",
        f"{P}:31:15: related[0].relation: unknown relation 'caused'",
        f"{P}:37:10: sources[0].url: 'javascript:x' is not allowed: URLs must start with http:// or https://",
    ]


# -- former ids and drafts across records ------------------------------------------------------

DRAFT_LINK = (
    "which is not published: a published record cannot refer to it "
    "(publish the draft, or remove the reference)"
)


def test_former_ids_clash_and_are_not_references(make_content: ContentFactory) -> None:
    """A former id leads to one record only; a structured reference names the id now, while
    a link in record Markdown to the old page is accepted (it goes to the new one)."""
    root = make_content(
        events={
            "launch": EVENT + "former_ids: [old-launch]\n",
            "other": EVENT + "former_ids: [old-launch]\n",
            "claim": CLAIM.replace("id: launch", "id: old-launch")
            + "body: See [the launch](briefs/old-launch.md) and [him](actors/kim.md#profile).\n",
        },
        actors={"kim-jong-un": ACTORS["kim-jong-un"] + "former_ids: [kim]\n"},
    )
    assert _errors(root) == [
        "content/events/2024/claim.yaml:8:9: related[0].id: event 'old-launch' is now 'launch' "
        "(a former id): write 'launch'",
        "content/events/2024/other.yaml:35:14: former_ids[0]: former id 'old-launch' is also a "
        "former id of event 'launch' (content/events/2024/launch.yaml): an old address can lead "
        "to one record only",
    ]


def test_published_records_cannot_refer_to_drafts(make_content: ContentFactory) -> None:
    related = "tags: [missile]\nrelated:\n  - id: secret\n    relation: context"
    root = make_content(
        events={
            "secret": EVENT.replace("rok-jcs", "ghost") + "draft: true\n",  # drafts may
            "pub": EVENT.replace("tags: [missile]", related)
            + "body: See [it](briefs/secret.md).\n",
        },
        actors={
            "ghost": "name: G\nkind: state\nsummary: G.\naffiliation: rok-jcs\ndraft: yes\n",
            "north-korea": ACTORS["north-korea"] + "affiliation: ghost\n",
        },
    )
    assert _errors(root) == [
        f"content/actors/north-korea.yaml:6:14: affiliation: actor 'ghost' is a draft, {DRAFT_LINK}",
        f"content/events/2024/pub.yaml:29:9: related[0].id: event 'secret' is a draft, {DRAFT_LINK}",
        "content/events/2024/pub.yaml:38:7: body: links to 'briefs/secret.md': event 'secret' is "
        f"a draft, {DRAFT_LINK}",
    ]


def test_drafts_are_checked_but_left_out_of_the_site(make_content: ContentFactory) -> None:
    root = make_content(events={"secret": EVENT + "draft: true\n"})
    assert "secret" not in build_site(root).event_by_id
    assert "secret" in build_site(root, drafts=True).event_by_id
    (root / "events" / "2024" / "secret.yaml").write_text(
        EVENT.replace("type: missile-launch", "type: nope") + "draft: true\n", encoding="utf-8"
    )
    assert _errors(root) == ["content/events/2024/secret.yaml:4:7: type: unknown event type 'nope'"]


def test_renamed_records_keep_their_old_pages(make_content: ContentFactory) -> None:
    root = make_content(
        events={
            "launch": EVENT + "former_ids: [old-launch]\n",
            "secret": CLAIM + "draft: true\n",
        },
        actors={"kim-jong-un": ACTORS["kim-jong-un"] + "former_ids: [kim]\n"},
    )
    assert build_site(root).moved == {
        "briefs/old-launch": "briefs/launch",
        "actors/kim": "actors/kim-jong-un",
    }
