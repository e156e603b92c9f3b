"""``briefing synth``: a valid, varied synthetic content tree for benchmarks and scale tests.

Actor involvement follows a Zipf law (a few actors appear in most events, most in few), and
records vary: month-only and approximate dates, intervals, local times, claims, sources,
relations, short and long bodies. The same seed gives the same tree.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from pathlib import Path
from typing import Any

import yaml

from generator.site import editorial

_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

EVENT_TYPES = [
    "missile-launch",
    "statement",
    "military-exercise",
    "diplomatic-meeting",
    "incident",
    "sanctions",
]
ACTOR_KINDS = ["state", "person", "organization", "military", "media", "vessel"]
STATUSES = ["developing", "confirmed", "disputed", "retracted"]
CONFIDENCE = ["low", "moderate", "high"]
RELATIONS = [
    ("response-to", "In response to", "Prompted"),
    ("part-of", "Part of", "Includes"),
    ("precedes", "Precedes", "Follows"),
    ("context", "Context", "Context"),
]


def _words(text: str) -> list[str]:
    return text.split()


# Synthetic prose: common English words, the general vocabulary of security reporting, a long
# tail of generated place and person names, and topic words that depend on the event type (a
# launch brief talks about missiles; a sanctions brief mostly does not). Each list is ordered
# from most to least frequent and drawn from with Zipf weights, so a few words are everywhere
# and most are rare, as in real briefs.
COMMON = _words(
    "the of and to a in that on was for said with as by at from is it its were after which be "
    "has had have an this not are their would also but more than been will two three other "
    "into over about first new since last who all one could while some up out may such no only "
    "early before under between during later week day month year morning evening night hours "
    "time part most there when what where they them both each any many several further around "
    "again against toward without within across near far high low long short large small same "
    "another earlier latest recent next previous second third four five ten dozen number "
    "because however although whether though until once still even already yet just now then "
    "made make took take gave give called told added noted described appeared seemed showed "
    "came went kept left held put set used known seen found expected planned began continued "
    "remained reported according"
)
GENERAL = _words(
    "north south korea korean official officials military government ministry statement "
    "report defense security forces state media japan united states china russia seoul "
    "pyongyang tokyo washington beijing moscow peninsula region regional international joint "
    "chiefs staff foreign national agency army navy force president leader minister "
    "spokesperson briefing press conference council response warned condemned confirmed "
    "called analysts allies alliance tension tensions provocation deterrence capabilities "
    "program development weapons activity activities site facility area coast sea east west "
    "border line zone demilitarized unification talks relations cooperation policy measures "
    "decision announced announcement public video footage images photos commercial imagery "
    "assessment intelligence sources diplomats diplomatic envoy embassy cabinet assembly "
    "party central committee plenary meeting session chairman premier vice deputy director "
    "general commander units troops personnel equipment systems operations posture readiness "
    "threat threats hostile enemy peace stability escalation dialogue negotiations "
    "denuclearization sovereignty territory waters airspace maritime coastal inland province "
    "county city capital district port harbor base airfield island islands peninsula's "
    "kim yoon lee park choi jong un yo moon biden kishida putin xi shoigu lavrov blinken "
    "kcna yonhap rodong sinmun kbs nhk reuters ap afp tass xinhua "
    "washington's seoul's tokyo's beijing's moscow's pyongyang's north's south's "
    "exclusive economic sanctions resolution nuclear missile launch exercise drills"
)
TOPICS: dict[str, list[str]] = {
    "missile-launch": _words(
        "missile missiles ballistic launch launched fired launches short-range cruise "
        "intercontinental icbm apogee flight flew range trajectory splashdown kilometres km "
        "hypersonic warhead solid-fuel liquid-fuel engine booster stage stages launcher "
        "launchers transporter erector tel salvo projectiles rocket rockets multiple "
        "submarine-launched slbm altitude speed mach detected tracked radar impact landed "
        "test-fire test-fired test-launch glide vehicle manoeuvring reentry lofted "
        "hwasong pukguksong kn-23 kn-25 sunan sohae"
    ),
    "statement": _words(
        "statement statements said says spokesperson spokeswoman denounced condemned "
        "criticized accused rejected warned vowed urged demanded insisted claimed "
        "described called threatened retaliation countermeasures hostile provocative "
        "reckless remarks commentary editorial press release published rodong kcna "
        "address speech message letter reply rebuttal legitimate sovereign right "
        "self-defence interference slander"
    ),
    "military-exercise": _words(
        "exercise exercises drill drills joint combined training trained live-fire "
        "artillery firing manoeuvres tanks infantry marines amphibious landing "
        "carrier strike group warships destroyers frigates fighter jets bombers "
        "b-1b f-35 sorties flyover escort aerial airborne paratroopers command-post "
        "simulation scenario computer-simulated freedom shield ulchi vigilant defense "
        "trilateral bilateral participating interoperability readiness"
    ),
    "diplomatic-meeting": _words(
        "meeting met talks summit visit visited delegation delegations envoy envoys "
        "foreign minister ministers counterpart counterparts bilateral trilateral "
        "agreement agreed communique joint declaration partnership strategic "
        "cooperation dialogue consultations hosted banquet reception leaders "
        "ambassador ambassadors embassy credentials negotiation negotiations "
        "treaty signed ratified mutual assistance"
    ),
    "incident": _words(
        "incident border crossed crossing soldiers guard post shots warning fired "
        "defector defected vessel fishing boat collision seized detained crew rescue "
        "balloons balloon leaflets trash rubbish loudspeaker broadcasts jamming gps "
        "drone drones intrusion airspace violation mine explosion landmine patrol "
        "coast guard northern limit nll demarcation"
    ),
    "sanctions": _words(
        "sanctions sanctioned designation designated designations treasury ofac assets "
        "frozen freeze entities individuals banks bank financial networks laundering "
        "cryptocurrency hackers hacking cyber theft revenue workers overseas exports "
        "imports coal oil refined petroleum cap ship-to-ship transfers panel experts "
        "monitoring enforcement evasion violations resolution security council "
        "veto procurement front companies shipping vessels"
    ),
}
# Topics an event of each type also touches on, with their odds (a statement often answers a
# launch; sanctions are often over the missile programme).
ALSO = {
    "missile-launch": [("statement", 0.2)],
    "statement": [("missile-launch", 0.3), ("military-exercise", 0.2), ("sanctions", 0.1)],
    "military-exercise": [("missile-launch", 0.15), ("statement", 0.2)],
    "diplomatic-meeting": [("sanctions", 0.2), ("missile-launch", 0.1)],
    "incident": [("statement", 0.3), ("missile-launch", 0.05)],
    "sanctions": [("missile-launch", 0.25), ("diplomatic-meeting", 0.15)],
}
TYPE_WEIGHTS = [20, 26, 15, 14, 14, 11]  # in the order of EVENT_TYPES
# Shares of a sentence's words: common English, general security vocabulary, topic, names;
# titles lean on the topic.
SHARES = (0.52, 0.26, 0.16, 0.06)
TITLE_SHARES = (0.3, 0.25, 0.4, 0.05)
_SYLLABLES = _words(
    "an bong chang chol chon do gang ha hae ho hui hwa hyon il jae jang jin ju kang kum kwang "
    "kyong man myong nam ok pong pyol ri ryong sam sang sin so sok son song su sun tae tok u "
    "won yang yong"
)
SYNTH_TAGS = [
    "missiles",
    "ballistic-missile",
    "cruise-missile",
    "icbm",
    "satellites",
    "nuclear",
    "sanctions",
    "cyber",
    "exercises",
    "naval",
    "air-force",
    "artillery",
    "border",
    "balloons",
    "defectors",
    "diplomacy",
    "summits",
    "alliance",
    "trilateral",
    "russia-dprk",
    "china",
    "japan",
    "united-states",
    "united-nations",
    "human-rights",
    "economy",
    "energy",
    "shipping",
    "propaganda",
    "leadership",
]
PLACES = [
    ("Pyongyang area", "KP", 39.03, 125.75),
    ("Sohae", "KP", 39.66, 124.705),
    ("Wonsan", "KP", 39.15, 127.44),
    ("Busan", "KR", 35.1, 129.04),
    ("Sea of Japan", None, 40.0, 134.0),
]


def _names(count: int) -> list[str]:
    """Place and person names from Korean syllables: the long tail of a briefing site."""
    rng = random.Random(0)
    names: dict[str, None] = {}
    while len(names) < count:
        parts = rng.choices(_SYLLABLES, k=rng.choice((2, 2, 3)))
        names["".join(parts)] = None
    return list(names)


NAMES = _names(2500)


def _cumulative(parts: list[tuple[list[str], float]]) -> tuple[list[str], list[float]]:
    """One word list with cumulative Zipf weights; each part gets its share of the total."""
    words: list[str] = []
    cumulative: list[float] = []
    total = 0.0
    for part, share in parts:
        ranks = [1 / (rank + 1.5) for rank in range(len(part))]
        scale = share / sum(ranks)
        for word, weight in zip(part, ranks, strict=True):
            total += weight * scale
            words.append(word)
            cumulative.append(total)
    return words, cumulative


@functools.cache
def _mixture(topics: tuple[str, ...], title: bool) -> tuple[list[str], list[float]]:
    """The word distribution for text about ``topics`` (the first one the main topic)."""
    common, general, topical, names = TITLE_SHARES if title else SHARES
    parts = [(COMMON, common), (GENERAL, general), (NAMES, names)]
    if topics:
        parts.append((TOPICS[topics[0]], topical * (0.7 if len(topics) > 1 else 1.0)))
        for other in topics[1:]:
            parts.append((TOPICS[other], topical * 0.3 / (len(topics) - 1)))
    else:
        parts[1] = (GENERAL, general + topical)
    return _cumulative(parts)


class _Prose:
    """Sentences on a fixed set of topics, drawn from one random generator."""

    def __init__(self, rng: random.Random, topics: tuple[str, ...]) -> None:
        self.rng = rng
        self.words, self.weights = _mixture(topics, False)
        self.title_words, self.title_weights = _mixture(topics, True)

    def sentence(self, n: int) -> str:
        words = self.rng.choices(self.words, cum_weights=self.weights, k=n)
        return " ".join(words).capitalize() + "."

    def title(self, n: int) -> str:
        words = self.rng.choices(self.title_words, cum_weights=self.title_weights, k=n)
        return " ".join(words).capitalize()

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence(self.rng.randint(6, 14)) for _ in range(sentences))


def _topics(rng: random.Random, kind: str) -> tuple[str, ...]:
    return (kind, *(other for other, odds in ALSO[kind] if rng.random() < odds))


def _actor_name(rng: random.Random, kind: str) -> str:
    name = rng.choice(NAMES).capitalize()
    if kind == "person":
        return f"{rng.choice(['Kim', 'Ri', 'Pak', 'Choe', 'Jang', 'Han', 'Jo', 'Yun'])} {name}"
    if kind == "state":
        return f"Republic of {name}"
    if kind == "vessel":
        return f"{rng.choice(['ROKS', 'USS', 'JS', 'KPA'])} {name}"
    suffixes = {
        "organization": ["Institute", "Committee", "Agency", "Council", "Commission"],
        "military": ["Artillery Brigade", "Missile Bureau", "Naval Command", "Air Division"],
        "media": ["News Agency", "Broadcasting", "Daily", "Times"],
    }
    return f"{name} {rng.choice(suffixes[kind])}"


def _vocabulary() -> dict[str, Any]:
    def terms(ids: list[str]) -> list[dict[str, str]]:
        return [
            {"id": i, "label": i.replace("-", " ").capitalize(), "description": f"Synthetic {i}."}
            for i in ids
        ]

    return {
        "event_types": terms(EVENT_TYPES),
        "actor_kinds": terms(ACTOR_KINDS),
        "statuses": terms(STATUSES),
        "confidence": terms(CONFIDENCE),
        "relations": [
            {"id": i, "label": label, "inverse_label": inv} for i, label, inv in RELATIONS
        ],
    }


def _date(rng: random.Random, day: dt.date) -> tuple[str, str | None]:
    roll = rng.random()
    if roll < 0.05:
        return f"{day:%Y-%m}", None
    if roll < 0.08:
        return f"{day:%Y-%m}~", None
    if roll < 0.11:
        end = day + dt.timedelta(days=rng.randint(1, 5))
        return f"{day.isoformat()}/{end.isoformat()}", None
    if roll < 0.13:
        return f"{day.isoformat()}?", None
    time = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}" if roll < 0.6 else None
    return day.isoformat(), time


def _dump(path: Path, data: dict[str, Any], schema: str) -> None:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(f"# yaml-language-server: $schema={schema}\n{text}", encoding="utf-8")


def generate(out: Path, *, events: int, actors: int, seed: int) -> None:
    """Write ``content/``-shaped records into ``out``."""
    rng = random.Random(seed)
    (out / "events").mkdir(parents=True, exist_ok=True)
    (out / "actors").mkdir(parents=True, exist_ok=True)
    _dump(out / "vocabulary.yaml", _vocabulary(), "schema/vocabulary.schema.json")

    actor_ids = [f"actor-{i:05d}" for i in range(actors)]
    for i, actor_id in enumerate(actor_ids):
        record = _actor(rng, i, actor_ids)
        _dump(out / "actors" / f"{actor_id}.yaml", record, "../schema/actor.schema.json")

    weights = [1 / (rank + 1) ** 1.1 for rank in range(actors)]
    start = dt.date(2000, 1, 1)
    span = (dt.date(2026, 6, 30) - start).days
    days = sorted(start + dt.timedelta(days=rng.randrange(span)) for _ in range(events))
    ids: list[str] = []
    for n, day in enumerate(days):
        kind = rng.choices(EVENT_TYPES, TYPE_WEIGHTS)[0]
        prose = _Prose(rng, _topics(rng, kind))
        slug = "-".join(rng.choice(TOPICS[kind]) for _ in range(2))
        event_id = f"{day.isoformat()}-{slug}-{n:05d}"
        when = _date(rng, day)
        involved = list(dict.fromkeys(rng.choices(actor_ids, weights, k=rng.randint(1, 6))))
        record = _event(rng, prose, kind, (day, *when), event_id, involved)
        _optional(rng, prose, record, ids)
        folder = out / "events" / str(day.year)
        folder.mkdir(exist_ok=True)
        _dump(folder / f"{event_id}.yaml", record, "../../schema/event.schema.json")
        ids.append(event_id)


def _actor(rng: random.Random, i: int, actor_ids: list[str]) -> dict[str, Any]:
    kind = ACTOR_KINDS[i % len(ACTOR_KINDS)]
    prose = _Prose(rng, (rng.choices(EVENT_TYPES, TYPE_WEIGHTS)[0],))
    record: dict[str, Any] = {
        "name": _actor_name(rng, kind),
        "kind": kind,
        "summary": prose.paragraph(2),
        "aliases": [f"{rng.choice(NAMES).capitalize()} {i}-{k}" for k in range(rng.randint(0, 3))],
    }
    if i % 3 == 0:
        record["native_name"] = f"행위자 {i}"
    if i >= 10 and rng.random() < 0.3:
        record["affiliation"] = actor_ids[rng.randrange(0, min(i, 10))]
    if rng.random() < 0.2:
        record["body"] = "\n\n".join(prose.paragraph(4) for _ in range(rng.randint(1, 4)))
    return record


def _sources(rng: random.Random, prose: _Prose, day: dt.date, event_id: str) -> list[Any]:
    return [
        {
            "key": f"s{k + 1}",
            "publisher": rng.choice(["Yonhap", "KCNA", "Reuters", "NHK", "KBS World"]),
            "title": prose.title(8),
            "date": day.isoformat(),
            "url": f"https://news.example.org/{event_id}/{k}",
            "language": rng.choice(["en", "ko", "ja"]),
        }
        for k in range(rng.randint(1, 4))
    ]


def _event(
    rng: random.Random,
    prose: _Prose,
    kind: str,
    when: tuple[dt.date, str, str | None],
    event_id: str,
    involved: list[str],
) -> dict[str, Any]:
    """An event's required fields and lists; ``when``: its day, date and time."""
    day, date, time = when
    sources = _sources(rng, prose, day, event_id)
    tag_weights = [1 / (rank + 1) for rank in range(len(SYNTH_TAGS))]
    return {
        "title": prose.title(rng.randint(5, 14))[:150],
        "date": date,
        **({"time": time} if time else {}),
        "type": kind,
        "status": rng.choices(STATUSES, [3, 10, 2, 0.2])[0],
        "summary": prose.paragraph(2)[:600],
        "actors": [
            {"id": a, "role": prose.sentence(3)} if rng.random() < 0.7 else a for a in involved
        ],
        "claims": [
            {
                "by": rng.choice(involved),
                "said": prose.paragraph(2),
                "date": day.isoformat(),
                "sources": [rng.choice(sources)["key"]],
            }
            for _ in range(rng.choice([0, 0, 1, 2, 3]))
        ],
        # Figures name their source, as the editorial lint asks.
        "facts": {
            f"Fact {k}": f"{rng.randint(1, 999)} km ({sources[0]['publisher']})"
            for k in range(rng.randint(0, 4))
        },
        "tags": sorted(set(rng.choices(SYNTH_TAGS, tag_weights, k=rng.randint(0, 4)))),
        "sources": sources,
        "published": (day + dt.timedelta(days=1)).isoformat(),
    }


def _optional(rng: random.Random, prose: _Prose, record: dict[str, Any], ids: list[str]) -> None:
    """An event's optional fields, some of the time."""
    sources = record["sources"]
    if rng.random() < 0.5:
        name, country, lat, lon = rng.choice(PLACES)
        record["location"] = {
            "name": name,
            "lat": str(lat),
            "lon": str(lon),
            "precision": "approximate",
            "source": "ref",
            **({"country": country} if country else {}),
        }
        sources.append({"key": "ref", "publisher": "Gazetteer", "title": f"Entry for {name}"})
    if rng.random() < 0.6:
        # No higher than the independent sources allow (the coordinates' source does not count).
        origins = len({s["publisher"] for s in sources if s["key"] != "ref"})
        allowed = [c for c in CONFIDENCE if editorial.MIN_SOURCES[c] <= origins]
        record["assessment"] = {
            "text": prose.paragraph(2),
            "confidence": min(rng.choice(CONFIDENCE), allowed[-1], key=CONFIDENCE.index),
        }
    if ids and rng.random() < 0.5:
        targets = {rng.choice(ids[-50:]) for _ in range(rng.randint(1, 2))}
        record["related"] = [
            {"id": t, "relation": rng.choice(RELATIONS)[0]} for t in sorted(targets)
        ]
    if rng.random() < 0.7:
        long = rng.random() < 0.2
        record["body"] = "\n\n".join(
            prose.paragraph(5) for _ in range(rng.randint(6, 14) if long else 1)
        )
    if rng.random() < 0.2:
        day = dt.date.fromisoformat(record["published"]) + dt.timedelta(days=1)
        record["updates"] = [{"date": day.isoformat(), "note": prose.sentence(10)}]
