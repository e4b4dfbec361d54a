"""Module 1 exercise: the 2024 facts and figures (A/HRC/58/70)."""
from ..authoring import Assignment, answer, md, setup, tests

ASSIGNMENT = Assignment("m1-facts", [
    md(
        """
# Module 1 exercise: the Special Procedures in 2024, in figures

**Points:** 8, all autograded. **Time:** about 30 minutes.

You will work with `sp_facts_2024`, the course's table of every figure in the
Human Rights Council document *Report of the Special Procedures: facts and
figures 2024* (A/HRC/58/70). Each row gives a value, its unit and the paragraph
it comes from, in the `source` column.

By the end you can:

- compute a share from two counts and say what it means;
- check whether the figures of a report hold together, and notice when they do not;
- draw a chart from the table.

**How this exercise works.** Run the cells from top to bottom. In each answer
cell, replace `raise NotImplementedError()` with your code. The cell after it
holds tests: the ones you see help you check your work; more tests, hidden,
are run when your facilitator grades it. Keep the variable names asked for.
""",
        """
# 模块一练习：用数字看2024年的特别程序

**分值：** 8分，全部自动评分。**用时：** 约30分钟。

本练习使用课程数据表 `sp_facts_2024`。它收录了人权理事会文件《特别程序的报告：2024年情况与数字》（A/HRC/58/70）中的每一个数字：每行给出数值、单位，`source` 列注明出自哪一段。

完成后，您将能够：

- 用两个计数算出比例，并说明它的含义；
- 核对一份报告里的数字是否前后一致，并发现不一致之处；
- 根据数据表画一张图。

**做法：** 从上到下依次运行各单元格。在每个答题单元格里，把 `raise NotImplementedError()` 换成您的代码。紧随其后的单元格是测试：您能看到的测试帮您自查；评分时，培训师还会运行另一些隐藏测试。请保留题目要求的变量名。
""",
    ),
    setup(
        """
from course import data

facts = data.load("sp_facts_2024").set_index("metric_id")
v = facts["value"]
facts[["value", "unit", "label_en", "label_zh", "source"]].head(12)
"""
    ),
    md(
        """
## Question 1: how many communications were joint? (2 points)

In 2024 the mandate holders sent 665 communications, 596 of them jointly
(A/HRC/58/70, para. 8). Using the rows `communications_joint` and
`communications_sent` of `v`, compute the **percentage** of communications sent
jointly, rounded to one decimal, and store it in `joint_share`.
""",
        """
## 第1题：联合发送的来文占多少？（2分）

2024年，任务负责人共发出665份来文，其中596份为联合发送（A/HRC/58/70，第8段）。请用 `v` 中的 `communications_joint` 和 `communications_sent` 两行，算出联合发送来文所占的**百分比**，保留一位小数，存入 `joint_share`。
""",
    ),
    answer(
        """
### BEGIN SOLUTION
joint_share = round(100 * v["communications_joint"] / v["communications_sent"], 1)
### END SOLUTION
""",
        "q1_joint_share",
    ),
    tests(
        """
assert isinstance(joint_share, float), "joint_share should be a number / joint_share 应当是一个数"
assert 0 <= joint_share <= 100, "joint_share should be between 0 and 100 / joint_share 应在0到100之间"
### BEGIN HIDDEN TESTS
assert joint_share == 89.6
### END HIDDEN TESTS
""",
        "q1_tests",
        2,
    ),
    md(
        """
## Question 2: does the response rate add up? (2 points)

Paragraph 8 of the report gives a response rate of 46.62 % and says that, since
2019, only substantive replies count (footnote 6). It also gives the number of
substantive replies to the communications sent in 2024
(`replies_to_year_communications_substantive`).

1. Compute that number as a percentage of `communications_sent`, rounded to two
   decimals: `computed_rate`.
2. Put the report's own figure (`response_rate_pct`) in `report_rate`.
3. Store `report_rate - computed_rate`, rounded to two decimals, in `gap`.

A gap is not a reason to change the report's figure: quote the report as published,
with its paragraph, and mention the difference if it matters to your point.
""",
        """
## 第2题：答复率对得上吗？（2分）

报告第8段给出的答复率是46.62%，并说明自2019年起只计实质性答复（脚注6）。同一段还给出了对2024年所发来文的实质性答复数（`replies_to_year_communications_substantive`）。

1. 算出这个数占 `communications_sent` 的百分比，保留两位小数，存入 `computed_rate`；
2. 把报告自己的数字（`response_rate_pct`）存入 `report_rate`；
3. 把 `report_rate - computed_rate`（保留两位小数）存入 `gap`。

发现差距，并不等于可以改动报告的数字：引用时照原文写明数字和段落；如果差距关系到您的论点，再另行说明。
""",
    ),
    answer(
        """
### BEGIN SOLUTION
computed_rate = round(100 * v["replies_to_year_communications_substantive"] / v["communications_sent"], 2)
report_rate = v["response_rate_pct"]
gap = round(report_rate - computed_rate, 2)
### END SOLUTION
""",
        "q2_response_rate",
    ),
    tests(
        """
assert report_rate == v["response_rate_pct"], "report_rate is the report's own figure / report_rate 应是报告原文的数字"
assert 0 < computed_rate < 100, "computed_rate is a percentage / computed_rate 应是百分比"
assert abs(gap - round(report_rate - computed_rate, 2)) < 1e-9, "gap = report_rate - computed_rate"
### BEGIN HIDDEN TESTS
assert computed_rate == 46.32
assert gap == 0.3
### END HIDDEN TESTS
""",
        "q2_tests",
        2,
    ),
    md(
        """
## Question 3: do the other figures hold together? (2 points)

- Paragraph 2 gives 60 mandates: 46 thematic and 14 country mandates. Store in
  `mandates_add_up` whether thematic plus country mandates equal
  `mandates_total` (a `True`/`False` value).
- Paragraph 4 gives the share of mandate holders from each of the five regional
  groups; their rows start with `holders_region_`. Put those rows in `regions`
  and the sum of their values, rounded to two decimals, in `regions_total`.
""",
        """
## 第3题：其他数字前后一致吗？（2分）

- 第2段说共有60项任务：46项专题任务、14项国别任务。请判断专题任务数加国别任务数是否等于 `mandates_total`，把结果（`True` 或 `False`）存入 `mandates_add_up`。
- 第4段给出了来自五个区域集团的任务负责人各占的比例，对应各行的 `metric_id` 以 `holders_region_` 开头。把这几行存入 `regions`，把它们的数值之和（保留两位小数）存入 `regions_total`。
""",
    ),
    answer(
        """
### BEGIN SOLUTION
mandates_add_up = bool(v["mandates_thematic"] + v["mandates_country"] == v["mandates_total"])
regions = facts[facts.index.str.startswith("holders_region_")]
regions_total = round(regions["value"].sum(), 2)
### END SOLUTION
""",
        "q3_consistency",
    ),
    tests(
        """
assert isinstance(mandates_add_up, bool), "mandates_add_up should be True or False / mandates_add_up 应为 True 或 False"
assert len(regions) == 5, "there are five regional groups / 共有五个区域集团"
### BEGIN HIDDEN TESTS
assert mandates_add_up is True
assert regions_total == 100.0
assert sorted(regions["value"]) == sorted(v[v.index.str.startswith("holders_region_")])
### END HIDDEN TESTS
""",
        "q3_tests",
        2,
    ),
    md(
        """
## Question 4: a chart of where mandate holders come from (2 points)

Make a bar chart with plotly of the five regional shares of question 3 (one bar
per regional group) and store the figure in `fig`. Label the axes so that a
reader knows what the bars are; show the figure in the last line of the cell.
Cite the source under a chart you publish: A/HRC/58/70, para. 4.
""",
        """
## 第4题：任务负责人来自哪里？画一张图（2分）

用 plotly 为第3题的五个区域比例画一张柱状图（每个区域集团一根柱子），把图存入 `fig`。请给坐标轴加上说明，让读者看懂每根柱子代表什么；在单元格最后一行显示这张图。对外发布图表时，请在图下注明出处：A/HRC/58/70，第4段。
""",
    ),
    answer(
        {
            "en": """
import plotly.express as px

### BEGIN SOLUTION
fig = px.bar(regions, x="label_en", y="value",
             labels={"label_en": "Regional group", "value": "Share of mandate holders (%)"},
             title="Mandate holders by regional group, 31 Dec 2024 (A/HRC/58/70, para. 4)")
### END SOLUTION
fig
""",
            "zh": """
import plotly.express as px

### BEGIN SOLUTION
fig = px.bar(regions, x="label_zh", y="value",
             labels={"label_zh": "区域集团", "value": "占任务负责人的比例（%）"},
             title="任务负责人的区域分布，截至2024年12月31日（A/HRC/58/70，第4段）")
### END SOLUTION
fig
""",
        },
        "q4_chart",
    ),
    tests(
        """
import plotly.graph_objects as go

assert isinstance(fig, go.Figure), "fig should be a plotly figure / fig 应是 plotly 图表"
bars = [trace for trace in fig.data if trace.type == "bar"]
assert len(bars) == 1, "one bar trace / 只需一组柱子"
### BEGIN HIDDEN TESTS
assert len(bars[0].y) == 5
assert sorted(round(float(y), 2) for y in bars[0].y) == sorted(round(float(x), 2) for x in regions["value"])
assert abs(sum(float(y) for y in bars[0].y) - 100) < 0.01
### END HIDDEN TESTS
""",
        "q4_tests",
        2,
    ),
    md(
        """
## What's next

You have checked a UN report against itself. Module 2 looks at how the Human
Rights Council creates and renews mandates, vote by vote.
""",
        """
## 接下来

您刚刚用报告自己的数字核对了这份联合国报告。模块二将逐次表决地看人权理事会如何设立和延续特别程序任务。
""",
    ),
])
