"""Module 2 exercise: how mandates are renewed, and which mechanism fits a situation."""
from ..authoring import Assignment, answer, md, setup, tests

ASSIGNMENT = Assignment("m2-mandates", [
    md(
        """
# Module 2 exercise: mandates, votes and choosing a mechanism

**Points:** 6, all autograded. **Time:** about 30 minutes.

Special Procedures are set up by resolutions of the Human Rights Council, a body
of States, so politics shapes whether a mandate is created, renewed or ended
(ISHR Practical Guide (2025), ch. II, "The role of the Human Rights Council").

You will use two course tables:

- `mandate_resolutions`: Council resolutions (2007 onwards) whose title names a
  Special Procedures mandate, with how they were adopted: `without_vote`, or
  `recorded` with the numbers voting yes, no and abstaining. Source: OHCHR voting
  records as compiled by lszoszk/hrc-voting (licence PolyForm Noncommercial 1.0.0;
  see `data/README.md`). Many renewals carry other titles, so this is not every
  renewal.
- `mechanisms`: how the Universal Periodic Review (`upr`), the Special Procedures
  (`sp`) and the treaty bodies (`tb`) differ (ISHR Practical Guide (2025), ch. II,
  comparison table).

Run the cells in order and replace each `raise NotImplementedError()` with your
code. Visible tests guide you; hidden tests are run at grading time.
""",
        """
# 模块二练习：任务、表决与机制的选择

**分值：** 6分，全部自动评分。**用时：** 约30分钟。

特别程序由人权理事会的决议设立。理事会由国家组成，所以一项任务能否设立、延续或被终止，都受政治左右（ISHR Practical Guide (2025)，第二章，“人权理事会的作用”）。

本练习使用两张课程数据表：

- `mandate_resolutions`：2007年以来标题中点名某项特别程序任务的理事会决议，以及决议的通过方式：`without_vote`（未经表决），或 `recorded`（记录表决，附赞成、反对、弃权票数）。来源：lszoszk/hrc-voting 整理的人权高专办表决记录（许可证 PolyForm Noncommercial 1.0.0，详见 `data/README.md`）。不少延期决议用的是别的标题，因此这里并非全部延期决议。
- `mechanisms`：普遍定期审议（`upr`）、特别程序（`sp`）和条约机构（`tb`）有何不同（ISHR Practical Guide (2025)，第二章，比较表）。

请按顺序运行各单元格，把每个 `raise NotImplementedError()` 换成您的代码。可见测试帮您自查，评分时还会运行隐藏测试。
""",
    ),
    setup(
        """
import pandas as pd
from course import data

res = data.load("mandate_resolutions")
mech = data.load("mechanisms")
res[["symbol", "year", "mandate_id", "vote_type", "yes", "no", "abstain"]].head()
"""
    ),
    md(
        """
## Question 1: adopted with or without a vote, year by year (2 points)

1. Make a table `by_year` with one row per `year`, one column per `vote_type`
   and the number of resolutions in each cell (`pd.crosstab` does it in one line).
2. Store in `recorded_share` the percentage of all resolutions in `res` that
   were adopted by a recorded vote, rounded to one decimal.

Look at `by_year`: are recorded votes the rule or the exception?
""",
        """
## 第1题：逐年看，决议是否经过表决？（2分）

1. 做一张表 `by_year`：每个 `year` 一行，每种 `vote_type` 一列，格子里是决议数量（`pd.crosstab` 一行就能完成）。
2. 在 `res` 的全部决议中，算出经记录表决通过的决议所占百分比，保留一位小数，存入 `recorded_share`。

看看 `by_year`：记录表决是常态，还是例外？
""",
    ),
    answer(
        """
### BEGIN SOLUTION
by_year = pd.crosstab(res["year"], res["vote_type"])
recorded_share = round(100 * (res["vote_type"] == "recorded").mean(), 1)
### END SOLUTION
by_year.tail()
""",
        "q1_by_year",
    ),
    tests(
        """
assert "recorded" in by_year.columns and "without_vote" in by_year.columns, "one column per vote_type / 每种 vote_type 一列"
assert int(by_year.values.sum()) == len(res), "every resolution counted once / 每项决议只计一次"
assert 0 <= recorded_share <= 100, "recorded_share is a percentage / recorded_share 应是百分比"
### BEGIN HIDDEN TESTS
expected = res.groupby(["year", "vote_type"]).size().unstack(fill_value=0)
assert (by_year.loc[expected.index, expected.columns].values == expected.values).all()
assert recorded_share == 15.4
### END HIDDEN TESTS
""",
        "q1_tests",
        2,
    ),
    md(
        """
## Question 2: contested mandates and close votes (2 points)

Keep the resolutions adopted by a recorded vote in `recorded`, and add a column
`margin`: votes in favour minus votes against (abstentions do not count).

- `contested`: the sorted list of `mandate_id`s that were renewed at least once
  by a recorded vote;
- `closest`: the `symbol` of the resolution with the smallest margin.

A narrow margin tells you that a mandate has opponents among the States: worth
knowing before you rely on it, and a reason to support its work.
""",
        """
## 第2题：有争议的任务与险胜的表决（2分）

把经记录表决通过的决议存入 `recorded`，并加一列 `margin`：赞成票减反对票（弃权票不计）。

- `contested`：至少有一次经记录表决才得以延续的 `mandate_id`，排序后存成列表；
- `closest`：票差最小的那项决议的 `symbol`。

票差很小，说明这项任务在各国之间有反对者：依靠它之前值得了解这一点，这也是支持其工作的理由。
""",
    ),
    answer(
        """
### BEGIN SOLUTION
recorded = res[res["vote_type"] == "recorded"].copy()
recorded["margin"] = recorded["yes"] - recorded["no"]
contested = sorted(recorded["mandate_id"].unique())
closest = recorded.sort_values("margin").iloc[0]["symbol"]
### END SOLUTION
recorded.sort_values("margin")[["symbol", "year", "mandate_id", "yes", "no", "abstain", "margin"]].head()
""",
        "q2_contested",
    ),
    tests(
        """
assert isinstance(contested, list), "contested should be a list / contested 应是列表"
assert contested == sorted(contested), "sort the list / 请排序"
assert isinstance(closest, str) and closest.startswith("A/HRC/RES/"), "closest is a resolution symbol / closest 应是决议文号"
### BEGIN HIDDEN TESTS
assert contested == ["climate-change", "democratic-international-order", "foreign-debt", "freedom-of-expression",
                     "international-solidarity", "mercenaries", "peasants", "sexual-orientation-gender-identity"]
assert closest == "A/HRC/RES/50/10"
### END HIDDEN TESTS
""",
        "q2_tests",
        2,
    ),
    md(
        """
## Question 3: which mechanism fits? (2 points)

Read the comparison in `mech` (the next cell shows it as a grid), then choose
`"upr"`, `"sp"` or `"tb"` for each fictional situation:

- **a.** Mira Osei, a fictional journalist, was detained yesterday in a country
  that has ratified none of the relevant treaties. Her colleagues need the UN to
  react within days, and their group has no UN accreditation.
- **b.** A country has ratified a treaty. You want an authoritative statement of
  how it must meet its binding obligations under that treaty, and you can wait for
  its next review.
- **c.** You want other States to review the country's whole human rights record
  and make recommendations that the government may accept or only note.

Store your choices in the dictionary `answers` with the keys `"a"`, `"b"` and `"c"`.
""",
        """
## 第3题：哪种机制合适？（2分）

阅读 `mech` 中的比较（下一个单元格以表格形式列出），然后为下列虚构情形各选一个：`"upr"`、`"sp"` 或 `"tb"`。

- **a.** 虚构记者米拉·奥塞伊昨天在一个国家被拘留，该国没有批准任何相关条约。她的同事需要联合国在几天内作出反应，他们的团体也没有联合国认证。
- **b.** 某国已批准一项条约。您希望得到一份权威说明，阐明该国应如何履行这项条约下具有约束力的义务，并且可以等到它下一次接受审查。
- **c.** 您希望由其他国家审查该国的整体人权记录并提出建议，该国政府可以接受这些建议，也可以只是“注意到”。

把您的选择存入字典 `answers`，键为 `"a"`、`"b"`、`"c"`。
""",
    ),
    answer(
        {
            "en": """
display(mech.pivot(index="criterion_en", columns="mechanism", values="short_answer_en"))
### BEGIN SOLUTION
answers = {"a": "sp", "b": "tb", "c": "upr"}
### END SOLUTION
""",
            "zh": """
display(mech.pivot(index="criterion_zh", columns="mechanism", values="short_answer_zh"))
### BEGIN SOLUTION
answers = {"a": "sp", "b": "tb", "c": "upr"}
### END SOLUTION
""",
        },
        "q3_mechanism",
    ),
    tests(
        """
assert isinstance(answers, dict) and set(answers) == {"a", "b", "c"}, "keys a, b, c / 键应为 a、b、c"
assert set(answers.values()) <= {"upr", "sp", "tb"}, "choose upr, sp or tb / 只能选 upr、sp 或 tb"
### BEGIN HIDDEN TESTS
assert answers == {"a": "sp", "b": "tb", "c": "upr"}
### END HIDDEN TESTS
""",
        "q3_tests",
        2,
    ),
    md(
        """
## What's next

Module 3 turns to the tool you will use most: communications, and how to draft
a submission that the experts can act on.
""",
        """
## 接下来

模块三讲您最常用的工具：来文，以及如何起草一份让专家能够据以行动的材料。
""",
    ),
])
