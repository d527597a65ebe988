"""Systemic treatments received, from prose, lists and tables: start, stop and why it stopped; planned, declined and
not-yet-started drugs are left out.
"""

from __future__ import annotations

import datetime as dt
import re

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Fact
from kidney_navigator.records.context import affirmed, sentence_bounds
from kidney_navigator.records.dates import find_dates
from kidney_navigator.records.text.source import (
    PARAGRAPH_END,
    TextSource,
    fact_at,
    line_end,
    record_terms,
    section_date,
)
from kidney_navigator.records.text.tables import TABLE_ROW, aligned_rows
from kidney_navigator.records.text.therapy_given import (
    CYCLE_ONE,
    DOSE_EVENT,
    GIVEN,
    NEVER_RECEIVED,
    NOT_GIVEN_LINE,
    TIMED_ENTRY,
    first_dose_next,
    never_received,
    not_yet_started,
)
from kidney_navigator.records.text.therapy_tables import (
    aligned_row_therapy,
    continues_row_above,
    named_stop_in_cell,
    not_given_status,
    row_owners,
    table_row_therapy,
)
from kidney_navigator.records.text.therapy_words import (
    DATE_RANGE,
    RESUMED,
    START,
    STOP,
    STOP_VERB,
    SWITCH,
    drug_finder,
    given_for_other_use,
    resumed_after_stop,
    stop_reason,
)

# ("Tab. Lenvatinib 18 mg OD + Tab. Everolimus 5 mg OD": the dot of a dosage form ends nothing)
_GAP_CHAR = r"(?:[^.;|]|(?<=tab|cap|inj)\.)"
COMBO_GAP = re.compile(_GAP_CHAR + r"{0,40}?(?:\+|/|&|\band\b|\bwith\b|\bplus\b)" + _GAP_CHAR + r"{0,15}", re.I)


def combination_groups(text: str, mentions: list[tuple[int, int, str]]) -> list[int]:
    """For each drug mention, the index of the first mention of its combination ("pembrolizumab + axitinib",
    "nivolumab/ipilimumab", "carboplatin AUC 6 + paclitaxel"): what is said of the regimen applies to each drug."""
    groups: list[int] = []
    for i, (start, _end, _drug) in enumerate(mentions):
        prev_end = mentions[i - 1][1] if i else -1
        joined = i > 0 and bool(COMBO_GAP.fullmatch(text, prev_end, start)) and "\n\n" not in text[prev_end:start]
        groups.append(groups[i - 1] if joined else i)
    return groups


PLAN_HEADING = re.compile(r"^[ \t]*(?:\d+[.)][ \t]*)?(?:assessment\s*(?:and|&|/)\s*plan|a\s*/\s*p|a&p|plan|"
                          r"recommendations?|impression\s*(?:and|&|/)\s*plan|management plan|treatment plan"
                          r"|disposition\s*(?:and|&|/)\s*plan)\b[ \t]*:?",
                          re.I | re.M)


OTHER_HEADING = re.compile(r"^[ \t]*(?:[A-Z][A-Z /&()-]{3,40}[ \t]*:?[ \t]*$|(?:interval |oncologic |past |social |"
                           r"family |treatment )?(?:history|medications?|allergies|labs?|laboratory|imaging|"
                           r"exam\w*|physical exam\w*|review of systems|subjective|objective|data|results?|"
                           r"investigations?|current medications?|medication list)\b[^\n]{0,30}:"
                           # a later note in the same file ends the plan ("Addendum 04/07/2025 (pharmacy): ...")
                           r"|(?:-{2,}|={2,}|(?i:addendum|nursing note|pharmacy note|infusion (?:center|centre|note)))"
                           r")", re.M)


# What a sentence in a plan says when the drug is already being taken ("continue cabozantinib", "C5 nivolumab today",
# "tolerating", "remains on", "hold", "stop").
GIVEN_OR_TAKING = re.compile(r"\bcontinu\w*|\bremains?\s+on\b|\bon\b|\btolerat\w*|\bcycle\s*\d|\bc\d+\s*(?:d\d+)?\b"
                             r"|\bstarted\b|\breceiv\w*|\bgiven\b|\bresum\w*|\bsince\b|\bcurrent\w*|\bhold\b|\bheld\b"
                             r"|\bstop\w*|\bdiscontinu\w*|\bd/c\b|\breduc\w*|\bproceed\b|\bre-?start\w*|\bstill\b"
                             r"|\bbegan\b|\bbegun\b|\btook\b|\btaking\b|\binfused\b|\badministered\b|\bdispensed\b"
                             r"|\bfirst dose\b", re.I)


def in_plan_section(text: str, pos: int) -> bool:
    """True when the last heading before `pos` is a plan ("PLAN", "Assessment and plan:", "Recommendations")."""
    plan = [m.start() for m in PLAN_HEADING.finditer(text, 0, pos)]
    if not plan:
        return False
    others = [m.start() for m in OTHER_HEADING.finditer(text, plan[-1] + 1, pos)
              if not PLAN_HEADING.match(text, m.start())]
    return not others


def therapy_facts(src: TextSource, pack: Pack) -> list[Fact]:
    text = src.text
    mentions: list[tuple[int, int, str]] = []
    finder, finder_names = drug_finder(pack)
    for m in finder.finditer(text):
        mentions.append((m.start(), m.end(), finder_names[m.group(0).lower()]))
    groups = combination_groups(text, mentions)
    rows = [(r.start(), r.end()) for r in TABLE_ROW.finditer(text)]
    aligned = aligned_rows(text)
    owner = row_owners(text, aligned, mentions)
    med_heads = [m.end() for m in MED_LIST.finditer(text)]
    by_drug: dict[str, dict[str, object]] = {}
    # a drug this record gives for something else in any of its sentences ("everolimus ... for transplant
    # immunosuppression") is that here wherever it is named
    other_use = {d for s, e, d in mentions if d in record_terms().non_cancer_use
                 and given_for_other_use(d, text[slice(*sentence_bounds(text, s, e))])}
    for i, (start, end, drug_id) in enumerate(mentions):
        if drug_id in other_use:
            continue
        if not affirmed(text, start, end, frozenset({"historical"})):
            continue
        regimen = {mentions[j][2] for j in range(len(mentions)) if groups[j] == groups[i]}
        if not_yet_started(text, end, [mentions[j][0] for j in range(i + 1, len(mentions)) if groups[j] != groups[i]],
                           [mentions[j][0] for j in range(i + 1, len(mentions)) if mentions[j][2] not in regimen]):
            continue
        drug = pack.drugs.get(drug_id)
        if drug is not None and "bone_agent" in drug.classes:
            continue  # bone-protecting drugs are supportive care, not a line of cancer therapy
        if never_received(text, end, [s for s, _, d in mentions[i + 1:] if d != drug_id]):
            continue  # "Sunitinib was prescribed but denied by her insurer; never dispensed, never taken"
        in_aligned = next((r for r in aligned if r.start <= start < r.end), None)
        if in_aligned is not None and (not_given_status(in_aligned.cells.get("status", "")) or NEVER_RECEIVED.search(
                in_aligned.cells.get("reason", "")) or _only_talked_about(in_aligned.cells)):
            # a row for a dose still "SCHEDULED" (or cancelled) is not a dose received, nor is one whose reason
            # cell says "NEVER STARTED: insurance denial, never dispensed"
            continue
        pipe_row = next((i_ for i_, (rs, re_) in enumerate(rows) if rs <= start < re_), None)
        if pipe_row is not None and NEVER_RECEIVED.search(_row_and_continuations(text, rows, pipe_row)):
            continue  # "| Sunitinib 50 mg | On old 2017 referral letter; NEVER STARTED ... |"
        if in_plan_section(text, start) and not GIVEN_OR_TAKING.search(text, *sentence_bounds(text, start, end)) \
                and not STOP_AFTER_DRUG.match(text, end):
            # "PLAN ... 1. nivolumab + ipilimumab x 4, then maintenance": what is planned, not yet given (but "Plan:
            # - IPILIMUMAB PERMANENTLY DISCONTINUED due to grade 3 colitis" ends a drug that was given)
            continue
        if _options_reviewed(text, start, end, mentions, groups) or _study_arm(text, start, end):
            continue
        record = by_drug.setdefault(drug_id, {"drug": drug.generic if drug else drug_id, "start": None, "stop": None,
                                              "stop_reason": None, "span": (start, end), "group": groups[i],
                                              "continues": False, "own_stop": False, "evidence": False,
                                              "reason_group": None, "held": False})
        if _received_sign(text, start, end, mentions) or _in_med_list(text, med_heads, start):
            record["evidence"] = True
        row = rows[pipe_row] if pipe_row is not None else None
        if in_aligned is not None and owner.get(id(in_aligned)) != drug_id and any(
                owner.get(id(r)) == drug_id for r in aligned if r is not in_aligned):
            continue  # "OPDIVO ... 240 mg IV q3wk x4 with ipi": ipilimumab has a row of its own, read there
        if row is not None or in_aligned is not None:
            record["evidence"] = True
            if in_aligned is not None:
                found = aligned_row_therapy(in_aligned)
                # "Nivolumab 480 mg   Given - recommenced as monotherapy q4w": this drug goes on, whatever its
                # partner's row says
                row_note = " ".join(in_aligned.cells.get(k, "") for k in ("status", "comment"))
                if owner.get(id(in_aligned)) == drug_id and (RESUMED.search(row_note) or CONTINUES.search(row_note)):
                    record["continues"] = True
                own = named_stop_in_cell(in_aligned.cells.get("reason", ""), names_of_drug(drug_id, finder_names)) \
                    if found["stop"] is None else None
                if own is not None:
                    found = {**found, **own}
            else:
                assert row is not None
                found = table_row_therapy(text, *row)
                # "   | axitinib 5 mg PO BID |  |  |" under "1 | pembrolizumab ... + | 09/2021 | 02/2024 | ... PD":
                # a row with an empty first cell and no dates of its own continues the row above
                index = rows.index(row)
                while index > 0 and not any(found.values()) and continues_row_above(text, rows, index):
                    index -= 1
                    found = table_row_therapy(text, *rows[index])
            later_row = found["stop"] is not None and record["stop"] is not None and str(found["stop"]) > str(
                record["stop"])
            if later_row:
                # a second row for the same drug ("Nivolumab (maintenance) ... 2025-10-06 ... colitis") ends it later
                record["stop"], record["stop_reason"] = found["stop"], found["stop_reason"] or record["stop_reason"]
            for key in ("start", "stop", "stop_reason"):
                if record[key] is None and found[key] is not None:
                    record[key] = found[key]
            continue
        left, right = sentence_bounds(text, start, end)
        maintenance = is_maintenance(text, start, end)
        if maintenance and record["stop_reason"] == "completed":
            # "ipilimumab/nivolumab induction (4 cycles completed), now on maintenance nivolumab": the induction
            # finished, this drug went on. Its partners keep the completion; this drug's own end is said later.
            _pass_completion(by_drug, record)
        elif maintenance:
            record["continues"] = True  # it does not share its partners' completion either
        prev_end = max([e for s, e, _ in mentions[:i] if s >= left], default=left)
        next_start = min([s for s, e, _ in mentions[i + 1:] if s < right], default=right)
        segment_start, segment_end = prev_end, next_start
        if (prev_end > left and stop_of_previous(text[prev_end:start])) or maintenance:
            segment_start = start  # "pembro stopped for PD) now on cabo": the stop and its reason are pembro's
        elif prev_end > left and (note := DRUG_NOTE.match(text, prev_end)) is not None and note.end() <= start:
            segment_start = note.end()  # "axitinib (PD), nivolumab (colitis)": "(PD)" is axitinib's
        if i > 0 and mentions[i - 1][2] in by_drug and REPLACED_BY.match(text, mentions[i - 1][1], start):
            # "Everolimus discontinued in favor of cabozantinib after CT showed progression (09/2024)": why and when
            # the first drug ended are written after the second, which starts then
            prior = by_drug[mentions[i - 1][2]]
            after = PROGRESSION_ON_NEXT.sub("", text[end:right])
            prior["stop_reason"] = prior["stop_reason"] or stop_reason(after + " stopped")
            when = next(find_dates(text, end, right, src.date), None)
            if when is not None:
                prior["stop"] = prior["stop"] or when[2].isoformat()
                record["start"] = record["start"] or when[2].isoformat()
            continue
        line_close = text.find("\n", end)
        line_close = len(text) if line_close < 0 else line_close
        if not text[end:right].strip() and COLUMN_GAP.match(text, right, line_close):
            # "Sunitinib                01/2020 - 08/2021       Stopped: progressive disease": a table row drawn
            # with spaces and no rule; its cells (dates, outcome) are the drug's, up to the next drug on the line
            segment_end = min([s for s, _e, _d in mentions[i + 1:] if s < line_close], default=line_close)
        previous_end: int | None = None
        stop_before = record["stop"]
        # "She started cabozantinib 60 mg on 12th February" in the second of two letters: a date with no year is
        # read against the letter's own date
        for ds, de, date in find_dates(text, segment_start, segment_end, section_date(text, start, src.date)):
            before = text[max(segment_start, ds - 45):ds]
            iso = date.isoformat()
            # "05/2023 - 11/2024": the second date of a range is when the drug ended
            in_range = previous_end is not None and DATE_RANGE.fullmatch(text, previous_end, ds) is not None
            previous_end = de
            resumed = RESUMED.search(before) is not None and resumed_after_stop(before)
            if HOLD_UNTIL_DATE.search(before):
                continue  # "ON HOLD until 22/01/2024": the day it goes on again, not an end
            if in_range or (STOP.search(before) and not resumed and (ds > start or not START.search(before))):
                if record["stop"] is None or iso > str(record["stop"]):
                    record["stop"] = iso
            elif resumed and record["stop"] is not None and iso >= str(record["stop"]):
                record["stop"] = None  # "HELD 2025-04-22 and restarted 2025-04-27": the hold ended, the drug goes on
            elif ds < start and OTHER_EVENT.search(text, max(segment_start, ds - 40), ds):
                continue  # "diagnosed on renal mass biopsy 09/12/2025 ..., on 1L axitinib": the biopsy's date
            elif NEXT_DOSE.search(text, max(0, ds - 40), ds):
                continue  # "Next: Cycle 2 pembrolizumab 29-Apr-2025", "target start March 18": not yet given
            elif record["start"] is None or iso < str(record["start"]):
                record["start"] = iso
        line_start = text.rfind("\n", 0, start) + 1
        lead = TIMELINE_START.match(text, line_start, start)
        line_end = text.find("\n", end) if "\n" in text[end:] else len(text)
        if record["start"] is None and lead and START_OR_DOSE.search(text, end, line_end):
            # "2025/10/06  Pembrolizumab 1st dose, axitinib started": the date that opens the line
            opening = next(find_dates(text, line_start, lead.end(), src.date), None)
            if opening is not None:
                record["start"] = opening[2].isoformat()
        # "13:05  Pembrolizumab 400 mg ... IV over 30 min" in a Cycle 1 Day 1 record: a clock-timed entry is a dose
        # given at that time; and "Axitinib 5 mg PO BID dispensed ... Patient took first dose in clinic": the
        # sentence after the drug's says it was taken
        timed = TIMED_ENTRY.fullmatch(text, line_start, start) is not None and not NOT_GIVEN_LINE.search(
            text, line_start, line_end)
        first_cycle_record = CYCLE_ONE.search(text) is not None and (DOSE_EVENT.search(text, start, right) or timed)
        taken_next = first_dose_next(text, right, [s for s, _, _ in mentions]) if record["start"] is None else None
        taken_on = next(find_dates(text, *taken_next, src.date), None) if taken_next else None
        if record["start"] is None and taken_on is not None and next(find_dates(text, left, right), None) is None:
            # "started nivolumab + ipilimumab; C1D1 given inpatient 03/08/2025": the first dose's own date
            record["start"] = taken_on[2].isoformat()
        if record["start"] is None and (GIVEN.search(text, left, right) or first_cycle_record or taken_next) \
                and next(find_dates(text, left, right), None) is None:
            # "ADDENDUM - Infusion Center, 10/19/2026 ... C1D1 nivolumab ... administered", or a "Cycle 1 Day 1"
            # infusion record ("09:15 NIVOLUMAB 184 mg ... IV over 30 min - started"): the dose is given on the date
            # of its note section, else of the note
            paragraph = text.rfind("\n\n", 0, left)
            dated = [d for _, _, d in find_dates(text, max(paragraph, left - 600, 0), left)]
            given_on = dated[-1] if dated else src.date if first_cycle_record or taken_next else None
            if given_on is not None:
                record["start"] = given_on.isoformat()
        if STOP_AFTER_DRUG.match(text, end):
            record["own_stop"] = True  # "nivo d/c'd 3/2025 for ...": its own end, not its partner's completion
        segment = text[segment_start:segment_end]
        # "on nivolumab since June following progression on sunitinib": that progression is the next drug's
        reason = stop_reason(PROGRESSION_ON_NEXT.sub("", segment) if segment_end < right else segment)
        if reason is None and COMPLETED_BEFORE.search(text, max(left, start - 40), start):
            reason = "completed"  # "after completing adjuvant pembrolizumab", "s/p ... completed adjuvant X"
        if reason == "progression" and STARTED_FOR_PROGRESSION.search(segment):
            # "3L cabozantinib since 10/20/2023 for PD in lungs": the progression it was started for
            reason = stop_reason(STARTED_FOR_PROGRESSION.sub("", segment))
        if _resumed_later(text, segment, right, drug_id, finder_names):
            # "Cabo held 05/06 - 05/13 for G3 diarrhea; ... Cabometyx RESUMED 05/14": a pause, not an end
            reason, record["stop"] = None, stop_before
        note = DRUG_NOTE.match(text, end)
        if reason is None and note is not None and PRIOR_LIST.search(text, left, start):
            # "Prior lines: axitinib (PD), nivolumab (colitis)": in a list of past treatments the note after a
            # drug is why it ended
            reason = stop_reason(note.group(0) + " stopped")
        if reason is None and STOP_VERB.search(text, start, right) and stop_reason(text[start:right]) is None \
                and not RESUMED.search(text, start, right):
            # (a pause "stopped 2 weeks before and restarted 2 weeks after" is not an end, whatever came before)
            # the sentence gives no reason of its own ("... stopped for grade 3 pneumonitis" names one after the
            # brand's generic name), so the clause before may
            reason = _cause_before(text, left, [s for s, _, d in mentions if d != drug_id])
        # "Gemcitabine + carboplatin continued.": the combination's verb is every partner's
        partners_end = max([e for j, (_, e, _) in enumerate(mentions) if j > i and groups[j] == groups[i]
                            and e <= right], default=end)
        if CONTINUES.search(segment) and not STOP_VERB.search(segment) or (
                partners_end > end and CONTINUES_AFTER.match(text, partners_end, right) and not STOP_VERB.search(
                    text, start, right)):
            record["continues"] = True
            if record["stop_reason"] == "progression" and record["stop"] is None and not reason:
                # "Progression in lungs on cabozantinib (~15 mo). ... Continue cabozantinib 40 mg daily": a
                # progression the drug was kept on through, with no stop, is not its end
                record["stop_reason"] = None
        if HELD_ONLY.search(segment) and not STOP_VERB.search(segment):
            record["held"] = True  # "Nivolumab ON HOLD": paused, so it does not share its partner's end
        if maintenance and reason == "completed":
            reason = None  # "on nivolumab maintenance after completing 4 doses of ipilimumab": the induction's end
        if reason and record["stop_reason"] is None:
            record["stop_reason"] = reason
            record["reason_group"] = groups[i]  # said of this mention's regimen, or of the drug alone
            # "ipilimumab and nivolumab PERMANENTLY DISCONTINUED due to grade 3 hepatitis": the partners named
            # before it in the same clause end with it
            nearest = start
            for j in range(i - 1, -1, -1):
                if groups[j] != groups[i] or mentions[j][0] < left or not STOP_AFTER_DRUG.match(text, end) \
                        or not JUST_JOINED.fullmatch(text, mentions[j][1], nearest):
                    break
                nearest = mentions[j][0]
                partner = by_drug.get(mentions[j][2])
                if partner is not None and partner is not record and partner["stop_reason"] is None \
                        and not partner["continues"] and not partner["held"]:
                    partner["stop_reason"] = reason
                    partner["reason_group"] = groups[i]
        if record["stop_reason"] is None and (i + 1 == len(mentions) or groups[i + 1] != groups[i]):
            _follow_on_stop(text, right, mentions[i + 1][0] if i + 1 < len(mentions) else len(text), record,
                            text[left:right])
            # the sentence after a combination ends the whole combination ("Gemcitabine + carboplatin continued.
            # Six cycles in total, the planned treatment was completed")
            for j in range(i):
                partner = by_drug.get(mentions[j][2])
                if groups[j] == groups[i] and left <= mentions[j][0] and partner is not None \
                        and partner is not record and partner["stop_reason"] is None and record["stop_reason"]:
                    partner["stop_reason"], partner["stop"] = record["stop_reason"], partner["stop"] or record["stop"]
        # "progression ..., switched to X": the reason belongs to the drug before the switch.
        opening_switch = SWITCH_OPENS.match(text, left, start)
        if opening_switch and i > 0 and groups[i - 1] != groups[i]:
            # "09/2024 - progression in lungs; switched to cabozantinib": the clause before the switch says why the
            # regimen before it ended
            cause = _cause_before(text, left, [s for s, _, d in mentions if d != drug_id and s >= left])
            for j in range(i):
                if groups[j] == groups[i - 1] and mentions[j][2] in by_drug and cause:
                    by_drug[mentions[j][2]]["stop_reason"] = by_drug[mentions[j][2]]["stop_reason"] or cause
        switch = SWITCH.search(text[segment_start:start])
        if switch and i > 0:
            prior_text = text[segment_start:segment_start + switch.start()]
            prior_reason = stop_reason(prior_text)
            prior_drug = mentions[i - 1][2]
            # "progression in lungs -> axitinib": an arrow does not overwrite a reason the drug before already has
            arrow = switch.group(0).startswith(("-", "\u2192", "="))
            kept = arrow and by_drug.get(prior_drug, {}).get("stop_reason") not in (None, prior_reason)
            if prior_reason and prior_drug in by_drug:
                if record["stop_reason"] == prior_reason and not stop_reason(text[start:segment_end]):
                    record["stop_reason"] = None
                if not kept:
                    by_drug[prior_drug]["stop_reason"] = prior_reason
                    for _ds, _, date in find_dates(text, segment_start, segment_start + switch.start()):
                        if by_drug[prior_drug]["stop"] is None:
                            by_drug[prior_drug]["stop"] = date.isoformat()
    _lines_ended(text, mentions, by_drug, src.date)
    _share_within_combinations(by_drug)
    # A drug counts as received only with some sign that the person had it: a date, a stop or its reason, a table
    # row, a medication list, or words of taking or giving in its sentence ("on", "started", "tolerating",
    # "dispensed"); a combination partner's sign counts for both. A name with none of these ("Reviewed A + B, C + D",
    # "the belzutifan arm would be ...") is talk about a drug, not a treatment received.
    group_of = {id(r): r["group"] for r in by_drug.values()}
    signed = {id(r): bool(r["evidence"] or r["start"] or r["stop"] or r["stop_reason"]) for r in by_drug.values()}
    facts = []
    for record in by_drug.values():
        if not signed[id(record)] and not any(signed[k] for k, g in group_of.items() if g == group_of[id(record)]):
            continue
        record.pop("evidence")
        span = record.pop("span")
        record.pop("group")
        record.pop("continues")
        record.pop("own_stop")
        record.pop("reason_group")
        record.pop("held")
        assert isinstance(span, tuple)
        facts.append(fact_at(src, "therapies", record, span[0], span[1]))
    return facts


ONLY_TALKED_ABOUT = re.compile(r"\b(?:discussed|considered|not pursued|declined|not indicated|not given|offered)\b",
                               re.I)


def _only_talked_about(cells: dict[str, str]) -> bool:
    """A treatment-table row with no dates whose note says it was only talked about ("Tivozanib  --  --  Discussed
    06/2025 - not pursued, patient prefers trial referral")."""
    dated = any(next(find_dates(cells.get(k, "")), None) for k in ("start", "stop", "dates"))
    return not dated and ONLY_TALKED_ABOUT.search(cells.get("reason", "")) is not None


JUST_JOINED = re.compile(r"\s*(?:and|&|\+|/|,)\s*", re.I)


def _row_and_continuations(text: str, rows: list[tuple[int, int]], index: int) -> str:
    """A pipe-table row with the rows under it whose first cell is empty (the same entry wrapped)."""
    end = index + 1
    while end < len(rows) and continues_row_above(text, rows, end):
        end += 1
    return " ".join(text[s:e] for s, e in rows[index:end])


COLUMN_GAP = re.compile(r"[ \t]{2,}\S")
# What says a drug reached the person: the plan words of GIVEN_OR_TAKING (but not "given" as a preposition: "given
# low-volume disease", "given his age"), the pharmacy's ("delivered") and a decision taken
RECEIVED_SIGN = re.compile(GIVEN_OR_TAKING.pattern.replace(
    r"\bgiven\b", r"\bgiven\b(?!\s+(?!on\b|at\b|in\b|iv\b|today\b|yesterday\b|every\b|weekly\b|as\b|with\b|over\b"
    r"|x\b|and\b|\d)[a-z])") + r"|\bdelivered\b|\bshipped\b|\bfilled\b|\bpicked up\b"
                           r"|\bongoing\b|\bpresent\b|\bsince\b|\btakes\b|\breceives\b|\bgets\b|\bgot\b"
                           r"|\bhad\b|\bcomplet\w*|\bfinished\b|\bprogress\w*|\bfailed\b|\brefractory\b|\bintoleran\w*"
                           r"|\bswitched\b|\bchanged\b|\bmoved\b|\btransitioned\b|\bprior\b|\bprevious\w*|\bhistory\b"
                           r"|\bhx\b|\bs/p\b|\bstatus post\b|\bpost-|\bafter\b|\bfollowing\b|\bmaintenance\b|\bdoses?\b"
                           r"|\bcycles?\b|\binfusions?\b|\bcourse\b|\b[1-4](?:st|nd|rd|th)?l\b"
                           # a decision taken ("after discussion he chose pembrolizumab and axitinib")
                           r"|\bchose\b|\belected\b|\bopted for\b|\bdecided on\b|\bwent ahead with\b", re.I)
MED_LIST = re.compile(r"^[ \t]*(?:current |home |active |outpatient )?(?:medications?|meds|medication list|drug list)"
                      r"\b[^\n]{0,30}$", re.I | re.M)


def _received_sign(text: str, start: int, end: int, mentions: list[tuple[int, int, str]]) -> bool:
    """A sign of receipt in the drug's own clause: from the drug named before it in the sentence to the one named
    after ("... pembrolizumab-based combinations were also mentioned, but she prefers a tablet and we agreed on
    cabozantinib": the "on" is cabozantinib's)."""
    left, right = sentence_bounds(text, start, end)
    if not left <= start < end <= right:  # a list item after "... these preferred drugs:" is a sentence of its own
        left, right = text.rfind("\n", 0, start) + 1, line_end(text, end)
    before = max([e for s, e, _ in mentions if left <= s and e <= start], default=left)
    after = min([s for s, _e, _ in mentions if end <= s < right], default=right)
    # near the drug: six words before it, twelve after ("The information we received does not show a trial of
    # ... these drugs: - axitinib" is no sign for axitinib)
    words_before = list(WORD_RX.finditer(text, before, start))[-6:]
    words_after = list(WORD_RX.finditer(text, end, after))[:12]
    before = words_before[0].start() if words_before else start
    after = words_after[-1].end() if len(words_after) == 12 else after
    for sign in RECEIVED_SIGN.finditer(text, before, after):
        # "... is one of the options, but Dr. L chose cabozantinib": a sign just before the next drug is its own
        if after < right and sign.start() > end and SIGN_OF_NEXT.fullmatch(text, sign.end(), after):
            continue
        return True
    return False



WORD_RX = re.compile(r"[\w/'-]+")
SIGN_OF_NEXT = re.compile(r"[ \t\n]*(?:\S+[ \t\n]+){0,2}")


def _in_med_list(text: str, heads: list[int], pos: int) -> bool:
    """True when the mention sits in the block under a "Medications" heading (no blank line in between); `heads`
    are where the document's headings end, found once per document."""
    before = [h for h in heads if h <= pos]
    return bool(before) and "\n\n" not in text[before[-1]:pos].strip("\n")


# The words right after a drug that say it was stopped: "pembro was d/c'd 11/2024 for PD, he then started cabo".
STOP_AFTER_DRUG = re.compile(r"[\s,)]*(?:x\s?\d+\s+|\d+\s+(?:doses|cycles)\s+)?"
                             r"(?:(?:was|were|is|has been|had been|then|both|also|permanently)\s+){0,2}"
                             r"(?:stop(?:ped|s)?\b|discontinu\w*|d/c'?d?\b|ceased|held\b|ended\b|completed\b|until\b)",
                             re.I)


LINE_NAMES = {"1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3, "4th": 4, "fourth": 4}
_LINE = r"(?P<n>1st|first|2nd|second|3rd|third|4th|fourth)[- ]line"
LINE_LABEL = re.compile(r"\b" + _LINE + r"\b", re.I)
LINE_ENDED = re.compile(r"\b" + _LINE + r"\b(?: (?:therapy|treatment|regimen))?[^.;\n]{0,15}?\b(?:ended|stopped"
                        r"|discontinued|terminated|completed)\b", re.I)


def _lines_ended(text: str, mentions: list[tuple[int, int, str]], by_drug: dict[str, dict[str, object]],
                 reference: dt.date | None) -> None:
    """"09.09.2025 CT: progression ... -> 1st line ended 16.09.2025": the drugs the record introduced as that line
    ("1st line from 10.06.2024: nivolumab ... + cabozantinib") ended then, for the reason the sentence gives."""
    for end in LINE_ENDED.finditer(text):
        number = LINE_NAMES[end.group("n").lower()]
        left, right = sentence_bounds(text, end.start(), end.end())
        reason = stop_reason(PROGRESSION_ON_NEXT.sub("", text[left:right]) + " stopped")
        when = next(find_dates(text, end.end(), right, reference), None)
        for label in LINE_LABEL.finditer(text, 0, end.start()):
            if LINE_NAMES[label.group("n").lower()] != number:
                continue
            _, label_right = sentence_bounds(text, label.start(), label.end())
            for start, _, drug_id in mentions:
                record = by_drug.get(drug_id)
                if label.end() <= start < label_right and record is not None and not record["continues"]:
                    record["stop_reason"] = record["stop_reason"] or reason
                    if when is not None and record["stop"] is None:
                        record["stop"] = when[2].isoformat()


# ... also "Course completed.", "He completed the planned one year of adjuvant treatment"
REGIMEN_COMPLETED = re.compile(r"\b(?:treatment|therapy|chemotherapy|chemo|regimen|cycles|course)\b[^.;\n]{0,25}?"
                               r"\bcompleted\b|\bcompleted\s+(?:the\s+|his\s+|her\s+)?(?:planned|full|scheduled)\b",
                               re.I)
RADIATION = re.compile(r"\b(?:radiotherapy|radiation|sbrt|srs|xrt|ebrt|rt|gy|fractions?)\b", re.I)


NEXT_DOSE = re.compile(r"\b(?:next|due|scheduled|booked|target start|to start|starting on)\b[^.;\n]{0,30}$", re.I)


# Another event a date before a drug belongs to ("biopsy 09/12/2025 ..., on axitinib")
OTHER_EVENT = re.compile(r"\b(?:diagnos\w*|biops\w*|fna|ebus|ct|mri|pet|scan|ultrasound|x-ray|echo\w*|endoscopy"
                         r"|nephrectomy|surgery|resection|admitted|born|labs|bloods"
                         # "MDT 17/01/24: ipi/nivo x4 then nivo maintenance": the meeting that chose it
                         r"|mdt|mdm|tumou?r board|multidisciplinary)\b"
                         r"[^.;\n]{0,25}$", re.I)
# A line that opens with a date, then the drug: a dated treatment log
TIMELINE_START = re.compile(r"[ \t*\-\u2022]*(?:\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}"
                            r"|\d{1,2}[- ][A-Za-z]{3}[- ]\d{4})[ \t:,-]+[^\n]{0,60}$")
START_OR_DOSE = re.compile(r"\b(?:started|start|began|initiated|1st dose|first dose|c1d1|cycle 1|dose 1|given)\b", re.I)


# A clause that opens with a switch ("switched to cabozantinib", "changed to axitinib")
SWITCH_OPENS = re.compile(r"[\s\-\u2022*:]*(?:then\s+)?(?:switched|changed|moved|transitioned)\s+(?:over\s+)?to\s*$",
                          re.I)


# The first drug stopped and the second put in its place: "X discontinued in favor of Y", "X stopped and switched to Y"
REPLACED_BY = re.compile(r"[^.;\n]{0,25}?\b(?:stopped|discontinued|d/c'?d|ceased)\b[^.;\n]{0,25}?(?:\bin favou?r of"
                         r"|\band (?:switched|changed) to|\band replaced (?:with|by)|\breplaced (?:with|by))\s*$", re.I)


# the dates of the previous drug before its stop: "cabozantinib 2024-06-20 -> 2025-03-18 (stopped, PD) | lenvatinib"
DATES_FIRST = re.compile(r"(?:[\s,:(]|\d{1,4}(?:[-/.]\d{1,2}){0,2}|-+>?|\u2192|\u2013|\bto\b)*")


def stop_of_previous(between: str) -> bool:
    """True when the text between two drug mentions opens with a stop of the first drug (perhaps after its dates),
    so whatever reason it gives ("for PD", "for colitis") is the first drug's and not the next one's."""
    lead = DATES_FIRST.match(between)
    return bool(STOP_AFTER_DRUG.match(between) or STOP_AFTER_DRUG.match(between, lead.end() if lead else 0))


HOLD_UNTIL_DATE = re.compile(r"\b(?:on hold|hold|held|withheld|paused|interrupted)\b[^.;\n]{0,30}\buntil\s*$", re.I)
HELD_ONLY = re.compile(r"\b(?:held|hold|on hold|interrupted|paused|withheld)\b", re.I)


def names_of_drug(drug_id: str, names: dict[str, str]) -> list[str]:
    """Every name (generic, brands, abbreviations) the text may use for one drug."""
    return [name for name, found in names.items() if found == drug_id]


def _resumed_later(text: str, segment: str, sentence_end: int, drug_id: str, all_names: dict[str, str]) -> bool:
    """A hold, not a stop: the segment only says the drug was held, and the same paragraph then says that drug
    was resumed or restarted."""
    held = HELD_ONLY.search(segment)
    if not held or STOP_VERB.search(segment):
        return False
    if RESUMED.search(segment, held.end()):
        return True  # "withheld from 18/03/2024 to 25/03/2024 and restarted at 40 mg daily": in the same clause
    names = names_of_drug(drug_id, all_names)
    paragraph = PARAGRAPH_END.search(text, sentence_end)
    after = text[sentence_end:min(paragraph.start() if paragraph else len(text), sentence_end + 400)].lower()
    for m in RESUMED.finditer(after):
        window = after[max(0, m.start() - 40):m.end() + 40]
        # "...; restarted 2025-04-27 at 5 mg": the very next clause, or one that names the drug or "it"
        if m.start() <= 6 or any(re.search(r"(?<![a-z])" + re.escape(n) + r"(?![a-z])", window) for n in names) \
                or re.search(r"\b(?:it|then)\b", window):
            return True
    return False


def _follow_on_stop(text: str, sentence_end: int, limit: int, record: dict[str, object], own: str = "") -> None:
    """Sentences after a regimen, up to the next drug or the end of the paragraph, often say how it ended ("Scans
    showed progression -> both drugs discontinued 09/22/2022"); only a sentence with an explicit stop counts. A
    bare stop takes the harm or progression named in the drug's own sentence ("Received 1 dose of pembrolizumab
    before hospitalization for pneumonitis; permanently discontinued")."""
    paragraph = PARAGRAPH_END.search(text, sentence_end)
    limit = min(limit, paragraph.start() if paragraph else len(text))
    pos = sentence_end
    while pos < limit:
        left, right = sentence_bounds(text, min(pos + 1, len(text) - 1), min(pos + 1, len(text)))
        right = min(right, limit)
        sentence = text[max(left, pos):right]
        # "Six cycles in total, the planned treatment was completed on 11/07/2025" (not a course of radiotherapy)
        # ("Switched to oral prednisolone 60 mg OD": before the next cancer drug is named, a switch is to something
        # else, not the regimen's end)
        verb = STOP_VERB.search(sentence)
        stop = (verb if verb and not verb.group(0).lower().startswith("switch") else None) or (
            REGIMEN_COMPLETED.search(sentence) if not RADIATION.search(sentence) else None)
        if stop and affirmed(text, max(left, pos) + stop.start(), max(left, pos) + stop.end()):
            reason = stop_reason(sentence)
            if reason is None and own:
                cause = stop_reason(PROGRESSION_ON_NEXT.sub("", own) + " stopped")
                reason = cause if cause in ("progression", "toxicity") else None
            if reason:
                record["stop_reason"] = reason
                after = next(find_dates(text, max(left, pos) + stop.end(), right), None)
                if after and record["stop"] is None:
                    record["stop"] = after[2].isoformat()
                return
        if right <= pos:
            break
        pos = right


def _share_within_combinations(by_drug: dict[str, dict[str, object]]) -> None:
    """A regimen starts and stops as a whole unless the record says otherwise: share its start, stop reason and stop
    date across its drugs."""
    members: dict[object, list[dict[str, object]]] = {}
    for record in by_drug.values():
        members.setdefault(record["group"], []).append(record)
    for records in members.values():
        if len(records) < 2:
            continue
        # "started gemcitabine ... with cisplatin ... on 07/04/2025": the regimen's start date is every member's.
        starts = [str(r["start"]) for r in records if r["start"] is not None]
        for r in records:
            if r["start"] is None and starts:
                r["start"] = min(starts)
        known = next((r for r in records if r["stop_reason"] is not None), None)
        if known is None or known["reason_group"] not in (None, known["group"]):
            continue  # "ipi/nivo 2023 (nivo ceased hepatitis)": said of nivolumab alone, in a later mention
        for r in records:
            if r["continues"] or r["held"] or (r["own_stop"] and known["stop_reason"] == "completed"):
                continue  # "Ipilimumab ... is finished. Nivolumab continues" (or "nivo d/c'd" for its own reason)
            if r["stop_reason"] is None and r["stop"] in (None, known["stop"]):
                r["stop_reason"] = known["stop_reason"]
                r["stop"] = r["stop"] or known["stop"]


# "then nivolumab maintenance", "maintenance nivolumab", "on maintenance with nivolumab": the drug goes on alone.
MAINTENANCE_BEFORE = re.compile(r"\bmaintenance\s+(?:with\s+|on\s+)?$", re.I)


MAINTENANCE_AFTER = re.compile(r"\s+(?:\S+\s+){0,2}?maintenance\b", re.I)


def is_maintenance(text: str, start: int, end: int) -> bool:
    """True when this mention names the drug as maintenance ("maintenance nivolumab", "nivolumab maintenance")."""
    return bool(MAINTENANCE_BEFORE.search(text[max(0, start - 40):start]) or MAINTENANCE_AFTER.match(text, end))


def _pass_completion(by_drug: dict[str, dict[str, object]], record: dict[str, object]) -> None:
    """The induction's "completed" belongs to the partners that stopped, not to the drug continued as maintenance."""
    for other in by_drug.values():
        if other is not record and other["group"] == record["group"] and other["stop_reason"] is None:
            other["stop_reason"], other["stop"] = "completed", other["stop"] or record["stop"]
    record["stop_reason"], record["stop"], record["continues"] = None, None, True


CONTINUES = re.compile(r"\bcontinu(?:es|ing|ed on)\b|\b(?:to )?continue\b|\bcontinued(?=\s*(?:[.;]|$))|\bongoing\b"
                       r"|\bremains? on\b|\bstill on\b|\bcont'?d\b", re.I)  # "Lenvatinib alone cont'd"
# the verb right after a combination ("Gemcitabine + carboplatin continued.")
CONTINUES_AFTER = re.compile(r"\s*(?:were |was |are |is )?(?:continued|continues|ongoing)\b", re.I)


def _cause_before(text: str, sentence_start: int, other_drugs: list[int]) -> str | None:
    """The reason for a stop written in the clause just before it, in the same paragraph ("CT showed progression
    in the lungs; pembrolizumab and axitinib were both discontinued"): progression or toxicity only. A clause that
    names another drug ("Sutent ... stopped for progression") gives that drug's reason, not this one's."""
    if sentence_start <= 1:
        return None
    prev_left, _ = sentence_bounds(text, sentence_start - 2, sentence_start - 1)
    before = text[prev_left:sentence_start]
    if sentence_start - prev_left > 300 or PARAGRAPH_END.search(before) or any(
            prev_left <= s < sentence_start for s in other_drugs):
        return None
    reason = stop_reason(before + " stopped")
    return reason if reason in ("progression", "toxicity") else None


DRUG_NOTE = re.compile(r"[ \t]*\([^()\n]{1,60}\)")


PRIOR_LIST = re.compile(r"\b(?:prior|previous(?:ly)?|past|earlier)\b[^.;]{0,40}?"
                        r"(?:lines?|therap\w*|treatments?|regimens?)"
                        r"|\b(?:treatment|therapy|oncologic) history\b|\bs/p\b", re.I)


COMPLETED_BEFORE = re.compile(r"\b(?:completed|completing|finished|finishing)\s+(?:(?:the|her|his|their|a|an|adjuvant"
                              r"|planned|full|course of|\d+\s+(?:cycles|doses|years?)\s+of)\s+)*$", re.I)


# "since 10/20/2023 for PD in lungs", "started for progression": why the drug began, not why it ended
STARTED_FOR_PROGRESSION = re.compile(
    r"\b(?:since|started|starting|began|begun|initiated|commenced)\b"
    r"(?:(?!\bstop|\bdiscontinu|\bd/c|\bceased|\bended)[^.;\n]){0,30}?"
    r"\b(?:for|after|following|due to)\s+(?:disease\s+)?(?:pd|progression|progressive disease)\b", re.I)


# "Reviewed pembrolizumab + axitinib, nivolumab + cabozantinib and ipilimumab/nivolumab": a sentence opened by a
# discussion verb that names two or more regimens is a list of options, however long
OPTIONS_VERB = re.compile(r"\b(?:reviewed|discussed|went over|talked (?:about|through)|considered|compared|presented"
                          r"|explained)\b[^.;:\n]{0,40}$", re.I)


def _options_reviewed(text: str, start: int, end: int, mentions: list[tuple[int, int, str]],
                      groups: list[int]) -> bool:
    left, right = sentence_bounds(text, start, end)
    inside = [i for i, (s, _e, _d) in enumerate(mentions) if left <= s < right]
    if len({groups[i] for i in inside}) < 2:
        return False
    first = mentions[inside[0]][0]
    return OPTIONS_VERB.search(text, left, first) is not None


# "the belzutifan arm would be the relevant one": a study's arm, not a drug given, unless the person was put on it
STUDY_ARM = re.compile(r"[ \t]+(?:(?:monotherapy|combination|study|treatment)[ \t]+)?(?:arm|cohort)\b", re.I)
ASSIGNED = re.compile(r"\b(?:randomi[sz]ed|assigned|allocated|enrolled|receiving|received|started|on)\b", re.I)


def _study_arm(text: str, start: int, end: int) -> bool:
    if STUDY_ARM.match(text, end) is None:
        return False
    left, right = sentence_bounds(text, start, end)
    return ASSIGNED.search(text, left, right) is None


PROGRESSION_ON_NEXT = re.compile(r"(?:following|after|due to|because of|for|with)?\s*(?:disease\s+)?"
                                 r"(?:progression|progressive disease|\bpd\b)\s+(?:on|with|while on|through|despite)"
                                 r"\s*$", re.I)
