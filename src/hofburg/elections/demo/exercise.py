"""The generated data of the EXERCISE-EOM demo that needs no database: the Exercise Republic's
polling-station frame and its EXERCISE parallel vote tabulation (PVT): a sample drawn from the
frame, and each sampled station's result with the time it reaches the call centre on election
night. Everything is fictional and comes from fixed seeds, so the demo loader and the files
under `data/elections/exercise-pvt/` (for trying `hofburg elections sample` and `pvt`) are the
same data. Write those files again with

    python -m hofburg.elections.demo.exercise data/elections/exercise-pvt

The results are made so that the board has something to show: the four fictional parties'
shares differ by region and between towns and the countryside, the Capital District reports
first and the north last (so the early estimate leans towards the capital's vote before it
converges), a few sampled stations never report and a few results fail the valid-report rule
(a protocol misread as no valid votes at all).
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

from hofburg.elections.engine.sample import draw

REGIONS = ("Northmark", "Southvale", "Eastshore", "Westfield", "Capital District")
SEED = 2026

# The EXERCISE PVT: 150 of the 600 stations, stratified by region, at least 12 per region.
PVT_SIZE = 150
PVT_MIN_PER_STRATUM = 12
PVT_STRATA = ("region",)
PARTIES = ("party_a", "party_b", "party_c", "party_d")
# Each region's shares of the valid votes, in the order of PARTIES (fictional).
REGION_SHARES = {
    "Capital District": (0.49, 0.26, 0.17, 0.08),
    "Northmark": (0.34, 0.40, 0.16, 0.10),
    "Southvale": (0.40, 0.33, 0.18, 0.09),
    "Eastshore": (0.43, 0.30, 0.15, 0.12),
    "Westfield": (0.33, 0.41, 0.17, 0.09),
}
# Minutes after the polls close by which half of a region's results have arrived.
REGION_DELAY = {"Capital District": 45, "Eastshore": 80, "Southvale": 95, "Westfield": 110,
                "Northmark": 140}
NEVER_REPORTS = 0.05  # share of sampled stations whose result never arrives
MISREAD = 0.02  # share of results phoned in with zero valid votes (they do not count)
RESULTS_COLUMNS = ("station_id", "stratum", "registered", "valid", "rejected", "blank",
                   *PARTIES)


@dataclass(frozen=True)
class Frame:
    station_id: str
    region: str
    urban: bool
    registered: int


@dataclass(frozen=True)
class Result:
    """A sampled station's result as the call centre receives it, `minutes` after the polls
    close (None when it never arrives)."""

    station_id: str
    region: str
    registered: int
    valid: int
    rejected: int
    blank: int
    votes: tuple[int, ...]
    minutes: int | None


def frame_csv(seed: int = SEED, stations: int = 600) -> str:
    """The Exercise Republic's polling stations, as `hofburg elections stations import` reads
    them."""
    rng = random.Random(seed)  # noqa: S311 -- generated exercise data, not secrets
    lines = ["station_id,name,region,district,urban_rural,registered_voters,lon,lat"]
    for number in range(1, stations + 1):
        region = REGIONS[rng.randrange(len(REGIONS))]
        urban = region == "Capital District" or rng.random() < 0.35
        lines.append(
            f"XR-{number:04},EXERCISE polling station {number},{region},"
            f"{region} {rng.randint(1, 6)},{'urban' if urban else 'rural'},"
            f"{rng.randint(400, 2500)},{rng.uniform(10.0, 16.0):.4f},{rng.uniform(45.0, 48.0):.4f}")
    return "\n".join(lines) + "\n"


def frame(seed: int = SEED, stations: int = 600) -> list[Frame]:
    """The same frame, read back."""
    made = []
    for line in frame_csv(seed, stations).splitlines()[1:]:
        station_id, _name, region, _district, area, registered, _lon, _lat = line.split(",")
        made.append(Frame(station_id, region, area == "urban", int(registered)))
    return made


def pvt_sample(seed: int = SEED) -> list[tuple[str, str]]:
    """(station_id, stratum) of the EXERCISE PVT's sample, as `hofburg elections sample` draws
    it from the frame with --size 150 --strata region --min-per-stratum 12 --seed 2026."""
    stations = [(s.station_id, s.region) for s in frame(seed)]
    return draw(stations, PVT_SIZE, PVT_MIN_PER_STRATUM, seed)


def pvt_results(seed: int = SEED) -> list[Result]:
    """Every sampled station's result, in the sample's order."""
    by_id = {s.station_id: s for s in frame(seed)}
    rng = random.Random(seed + 1)  # noqa: S311 -- generated exercise data
    results = []
    for station_id, _stratum in pvt_sample(seed):
        station = by_id[station_id]
        shares = list(REGION_SHARES[station.region])
        if station.urban:  # towns lean a little more towards party A
            shares[0] += 0.04
            shares[1] -= 0.04
        weights = [rng.gammavariate(share * 80, 1.0) for share in shares]
        total = sum(weights)
        voters = round(station.registered * rng.uniform(0.48, 0.74))
        rejected = round(voters * rng.uniform(0.005, 0.03))
        blank = round(voters * rng.uniform(0.0, 0.01))
        valid = voters - rejected - blank
        votes = [int(valid * w / total) for w in weights]
        votes[-1] = valid - sum(votes[:-1])
        delay = REGION_DELAY[station.region]
        minutes = None if rng.random() < NEVER_REPORTS else min(
            235, 20 + round(rng.gammavariate(3.0, delay / 3.0)))
        if rng.random() < MISREAD:
            valid, votes = 0, [0] * len(votes)
        results.append(Result(station_id, station.region, station.registered, valid,
                              rejected, blank, tuple(votes), minutes))
    return results


def pvt_files(seed: int = SEED) -> dict[str, str]:
    """The files the docs point to for trying the PVT commands: the frame (for `sample`), the
    sample it draws, the stations per stratum and the final results (for `pvt`)."""
    sizes: dict[str, int] = {}
    for station in frame(seed):
        sizes[station.region] = sizes.get(station.region, 0) + 1
    strata = ["stratum,stations", *(f"{name},{sizes[name]}" for name in sorted(sizes))]
    sample = ["station_id,stratum", *(f"{s},{h}" for s, h in pvt_sample(seed))]
    results = [",".join(RESULTS_COLUMNS)]
    for r in pvt_results(seed):
        if r.minutes is None:  # no result
            results.append(f"{r.station_id},{r.region},{r.registered},,,," + "," * (
                len(PARTIES) - 1))
        else:
            results.append(",".join(str(v) for v in (r.station_id, r.region, r.registered,
                                                      r.valid, r.rejected, r.blank, *r.votes)))
    return {"frame.csv": frame_csv(seed),
            "sample.csv": "\n".join(sample) + "\n",
            "strata.csv": "\n".join(strata) + "\n",
            "results.csv": "\n".join(results) + "\n"}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m hofburg.elections.demo.exercise FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pvt_files().items():
        (folder / name).write_text(text, encoding="utf-8")
        print(folder / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
