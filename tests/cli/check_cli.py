#!/usr/bin/python3
"""End-to-end checks of the `tandem` command line: demo, match (good and bad input), solve,
config. Prints one line per failure and closes with "N passed, N failed".

    /usr/bin/python3 tests/cli/check_cli.py --tandem build/dev/apps/tandem --repo .
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, check=False, **kw)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tandem", required=True)
    p.add_argument("--repo", required=True)
    a = p.parse_args()
    tandem, repo = a.tandem, a.repo
    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}: {detail}")

    # demo: a summary with a certified optimum and explained pairs
    r = run([tandem, "demo", "--people", "600", "--quiet"])
    check("demo exit", r.returncode == 0, r.stderr)
    check("demo certified", "yes, certified" in r.stdout, r.stdout[-500:])
    check("demo explains", "why: " in r.stdout, r.stdout[-500:])

    with tempfile.TemporaryDirectory() as out:
        # match on the sample people: pairs.csv rows agree with match.json
        r = run([tandem, "match", "--people", os.path.join(repo, "samples/people.csv"),
                 "--config", os.path.join(repo, "samples/config-traditional.json"), "-o", out, "-q"])
        check("match exit", r.returncode == 0, r.stderr)
        with open(os.path.join(out, "match.json"), encoding="utf-8") as f:
            report = json.load(f)
        with open(os.path.join(out, "pairs.csv"), newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        summary = report["summary"]
        check("match pairs csv = json", len(rows) == len(report["pairs"]) == summary["matched"],
              f"{len(rows)} {len(report['pairs'])} {summary['matched']}")
        check("match total = sum of pair scores",
              abs(sum(p["score"] for p in report["pairs"]) - summary["total_score"]) < 1e-4 * max(1, summary["matched"]))
        check("match certificate", summary["certificate"]["checked"] is True)
        fairness = report.get("fairness", {})
        check("match.json carries the fairness audit",
              any(g["dimension"] == "department" for g in fairness.get("groups", [])) and
              all(g["suppressed"] or "match_rate" not in g or 0 <= g["match_rate"] <= 1 for g in fairness.get("groups", [])),
              str(fairness)[:300])
        check("match explanations", all(row["explanation"] for row in rows))
        mentors = {}
        for row in rows:
            mentors[row["mentor_id"]] = mentors.get(row["mentor_id"], 0) + 1
        with open(os.path.join(repo, "samples/people.json"), encoding="utf-8") as f:
            people = json.load(f)
        people = people["people"] if isinstance(people, dict) else people
        caps = {}
        for person in people:
            cap = person.get("mentor_capacity", person.get("capacity"))
            caps[str(person.get("id", person.get("employee_id")))] = cap
        check("match capacity respected",
              all(caps.get(m) is None or n <= int(caps[m]) for m, n in mentors.items()), str(mentors))
        check("match unmatched have reasons",
              all(u["reason"] for u in report["unmatched"]) and
              len(report["unmatched"]) == summary["mentees"] - summary["matched"])

    with tempfile.TemporaryDirectory() as out:
        # a file with bad rows imports nothing, names line, column and reason, exits 2
        bad = os.path.join(repo, "tests/data/people/bad_rows.csv")
        r = run([tandem, "match", "--people", bad, "-o", out, "-q"])
        check("bad rows exit 2", r.returncode == 2, f"exit {r.returncode}")
        check("bad rows message", "bad_rows.csv:" in r.stderr and "column '" in r.stderr, r.stderr[:400])
        check("bad rows wrote nothing", not os.listdir(out), str(os.listdir(out)))
        r = run([tandem, "match", "--people", bad, "--skip-bad-rows", "-o", out, "-q"])
        check("skip bad rows", r.returncode == 0 and "skipped: " in r.stderr, r.stderr[:400])
        r = run([tandem, "match", "--people", os.path.join(out, "missing.csv"), "-q"])
        check("missing file exit 2", r.returncode == 2 and "missing.csv" in r.stderr, r.stderr)
        cfg = os.path.join(out, "bad-config.json")
        with open(cfg, "w", encoding="utf-8") as f:
            json.dump({"model": "traditional", "weights": {"skills": -1}}, f)
        r = run([tandem, "match", "--people", os.path.join(repo, "samples/people.csv"), "--config", cfg, "-q"])
        check("bad config names the field", r.returncode == 2 and "weights.skills" in r.stderr, r.stderr)

    with tempfile.TemporaryDirectory() as out:
        # solve: textbook 3x3 assignment and a hospitals/residents instance
        inst = os.path.join(out, "i.json")
        with open(inst, "w", encoding="utf-8") as f:
            json.dump({"mentees": 3, "mentors": [1, 1, 1], "weights": [[3, 4, 1], [6, 5, 4], [1, 2, 7]]}, f)
        r = run([tandem, "solve", inst, "-q"])
        sol = json.loads(r.stdout)
        check("solve optimum", sol["total_weight"] == 17 and sol["mentor_of"] == [1, 0, 2], r.stdout[:300])
        with open(inst, "w", encoding="utf-8") as f:
            json.dump({"mentees": 4, "mentors": [2, 1], "objective": "stable",
                       "weights": [[0, 0], [0, 0], [0, None], [0, 0]],
                       "mentee_ranking": [[0, 1], [0, 1], [0], [1, 0]],
                       "mentor_ranking": [[2, 1, 0, 3], [0, 3, 1]]}, f)
        r = run([tandem, "solve", inst, "-q"])
        sol = json.loads(r.stdout)
        check("solve stable", sol["mentor_of"] == [1, 0, 0, -1] and sol["blocking_pairs"] == [], r.stdout[:300])
        with open(inst, "w", encoding="utf-8") as f:
            json.dump({"mentees": 2, "mentors": [1], "scores": [[0.5], [1.5]]}, f)
        r = run([tandem, "solve", inst, "-q"])
        check("solve bad score", r.returncode == 2 and "scores[1][0]" in r.stderr, r.stderr)

    # what-if and informal suggestions on the sample people
    people_csv = os.path.join(repo, "samples/people.csv")
    r = run([tandem, "compare", "--people", people_csv, "--objective-b", "stable", "-q"])
    check("compare exit", r.returncode == 0, r.stderr)
    check("compare side by side", "matched share" in r.stdout and "worst-off" in r.stdout and "Pairs:" in r.stdout,
          r.stdout[:400])
    with open(people_csv, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    mentee = next(row["id"] for row in rows if row["role"].strip().lower() == "mentee")
    r = run([tandem, "suggest", "--people", people_csv, "--id", mentee, "--top", "3"])
    check("suggest exit", r.returncode == 0, r.stderr)
    check("suggest ranks with reasons", "Suggested mentors" in r.stdout and "1. " in r.stdout and "why: " in r.stdout,
          r.stdout[:400])
    r = run([tandem, "suggest", "--people", people_csv, "--id", "NOPE"])
    check("suggest unknown id", r.returncode == 2 and "NOPE" in r.stderr, r.stderr)

    # the structural models, each checked on its output file
    with tempfile.TemporaryDirectory() as out:
        def model(name, *extra):
            r = run([tandem, "match", "--people", people_csv, "--model", name, "-o", out, "-q", *extra])
            check(f"{name} exit", r.returncode == 0, r.stderr)
            return r

        def rows_of(name):
            with open(os.path.join(out, name), newline="", encoding="utf-8") as f:
                return list(csv.DictReader(f))

        model("speed", "--slots", "3")
        meetings = rows_of("timetable.csv")
        seen = set()
        per_person = {}
        ok = bool(meetings)
        for m in meetings:
            for who in (m["mentor_id"], m["mentee_id"]):
                ok = ok and (m["slot"], who) not in seen and 1 <= int(m["slot"]) <= 3
                seen.add((m["slot"], who))
                per_person[who] = per_person.get(who, 0) + 1
        pairs = [(m["mentee_id"], m["mentor_id"]) for m in meetings]
        check("speed timetable: no double booking, no repeated pair, at most 3 each",
              ok and len(set(pairs)) == len(pairs) and max(per_person.values()) <= 3, str(meetings[:3]))
        by_person = rows_of("timetable-by-person.csv")
        from_people = {(k[len("slot_"):], row["person_id"], row[k].rsplit("(", 1)[-1].rstrip(")"))
                       for row in by_person if row["role"] == "mentee"
                       for k in ("slot_1", "slot_2", "slot_3") if row[k]}
        from_slots = {(m["slot"], m["mentee_id"], m["mentor_id"]) for m in meetings}
        check("speed per-person timetable agrees with the slot list", from_people == from_slots,
              f"{sorted(from_people)[:3]} vs {sorted(from_slots)[:3]}")
        with open(os.path.join(out, "timetable.html"), encoding="utf-8") as f:
            html = f.read()
        check("speed printable page", "<h2>Slot 3</h2>" in html and "Timetable per mentee" in html)

        model("rotation", "--rounds", "3")
        plan = [row for row in rows_of("rotation.csv") if row["mentor_id"]]
        pairs = [(row["mentee_id"], row["mentor_id"]) for row in plan]
        check("rotation: no pair repeats across rounds", plan and len(set(pairs)) == len(pairs), str(pairs))
        hist = os.path.join(out, "history.csv")
        with open(hist, "w", encoding="utf-8") as f:
            f.write("mentee_id,mentor_id\n" + "\n".join(f"{a},{b}" for a, b in pairs[:2]) + "\n")
        model("rotation", "--rounds", "1", "--history", hist)
        again = [(row["mentee_id"], row["mentor_id"]) for row in rows_of("rotation.csv") if row["mentor_id"]]
        check("rotation: history pairs never repeat", not set(again) & set(pairs[:2]), str(again))

        model("peer")
        peers = rows_of("peers.csv")
        ids = [row["id"] for row in peers] + [row["partner_id"] for row in peers]
        check("peer: nobody twice", peers and len(set(ids)) == len(ids), str(peers))

        model("group", "--group-min", "1")
        groups = rows_of("groups.csv")
        mentees = [row["mentee_id"] for row in groups]
        sizes = {}
        for row in groups:
            sizes[row["mentor_id"]] = sizes.get(row["mentor_id"], 0) + 1
        check("group: each mentee once, within capacity",
              groups and len(set(mentees)) == len(mentees) and
              all(n <= int(caps.get(m) or 0) for m, n in sizes.items()), str(sizes))

        model("circle", "--circle-size", "4")
        circles = rows_of("circles.csv")
        members = [row["person_id"] for row in circles]
        count = {}
        for row in circles:
            count[row["circle"]] = count.get(row["circle"], 0) + 1
        check("circle: everyone once, sizes 4 or 5",
              len(members) == len(set(members)) == len(rows) and all(c in (4, 5) for c in count.values()),
              str(count))

    with tempfile.TemporaryDirectory() as out:
        # explicit instances of the structural models
        inst = os.path.join(out, "m.json")

        def solve_json(doc, *extra):
            with open(inst, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            r = run([tandem, "solve", inst, "-q", *extra])
            check(f"solve {doc.get('model')} exit", r.returncode == 0, r.stderr)
            return json.loads(r.stdout) if r.returncode == 0 else {}

        sol = solve_json({"model": "speed", "slots": 2, "mentees": 2, "mentors": [1, 1],
                          "weights": [[5, 1], [2, 7]]})
        slots = {(m["slot"], m["mentee"]) for m in sol.get("schedule", [])} | \
                {(m["slot"], 10 + m["mentor"]) for m in sol.get("schedule", [])}
        check("solve speed: all 4 meetings in 2 slots, no double booking",
              sol.get("meetings") == 4 and len(slots) == 8 and sol["certificate"]["checked"], str(sol)[:300])
        sol = solve_json({"model": "rotation", "rounds": 2, "mentees": 2, "mentors": [1, 1],
                          "weights": [[5, 1], [2, 7]]})
        rounds = sol.get("rounds", [])
        check("solve rotation: best first, then the other pairs",
              len(rounds) == 2 and rounds[0]["mentor_of"] == [0, 1] and rounds[1]["mentor_of"] == [1, 0],
              str(rounds)[:300])
        sol = solve_json({"model": "rotation", "rounds": 1, "mentees": 2, "mentors": [1, 1],
                          "weights": [[5, 1], [2, 7]], "history": [[0, 0]]})
        check("solve rotation with history", sol.get("rounds", [{}])[0].get("mentor_of") == [1, 0], str(sol)[:300])
        # groups: cohesion pulls mentees with a shared goal together, at some cost in pair score
        sol = solve_json({"model": "group", "mentees": 4, "mentors": [2, 2], "min_size": 2,
                          "weights": [[500000, 400000], [400000, 500000], [500000, 400000], [400000, 500000]],
                          "tags": [[1], [1], [2], [2]], "cohesion": 1})
        check("solve group: local search groups shared goals",
              sol.get("members") == [[2, 3], [0, 1]] and sol["objective_after"]["value"] > sol["objective_before"]["value"]
              and sol["certificate"]["checked"], str(sol)[:300])
        sol = solve_json({"model": "circle", "people": 6, "circle_size": 3,
                          "tags": [[1], [2], [1], [2], [1], [2]], "cohesion": 1})
        check("solve circle: circles by shared tags", sol.get("circles") == [[0, 2, 4], [1, 3, 5]], str(sol)[:300])
        # Irving-style roommates: a 4-person instance with no stable matching falls back.
        sol = solve_json({"model": "peer", "people": 4,
                          "weights": [[None, 3, 2, 1], [3, None, 2, 1], [2, 2, None, 1], [1, 1, 1, None]],
                          "ranking": [[1, 2, 3], [2, 0, 3], [0, 1, 3], [0, 1, 2]]}, "--objective", "stable")
        check("solve roommates without a stable matching", sol.get("stable_exists") is False and sol.get("pairs") == 2,
              str(sol)[:300])

    # Ctrl-C: a long run stops with exit code 130 and writes no file
    import signal
    import time
    with tempfile.TemporaryDirectory() as out:
        target = os.path.join(out, "result")
        proc = subprocess.Popen([tandem, "demo", "--people", "200000", "-o", target, "-q"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(2.0)
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            err = "did not stop"
        check("Ctrl-C cancels with exit 130", proc.returncode == 130 and "cancelled" in err,
              f"exit {proc.returncode}: {err[-200:]}")
        check("Ctrl-C leaves no output", not os.path.exists(target) or not os.listdir(target),
              str(os.listdir(target)) if os.path.exists(target) else "")

    r = run([tandem, "config", "--model", "reverse"])
    check("config prints JSON", r.returncode == 0 and json.loads(r.stdout)["model"] == "reverse", r.stdout[:200])

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
