"""Module 4 exercise: risk, mitigation, the reprisals report cycle, and a reflection."""
from ..authoring import Assignment, answer, md, setup, tests, written

ASSIGNMENT = Assignment("m4-safety", [
    md(
        """
# Module 4 exercise: engaging safely

**Points:** 10: 6 autograded, 4 graded by your facilitator. **Time:** about 45 minutes.

Engaging with UN experts can raise the risk for defenders and for the people
around them: families, colleagues, whole organisations. The guide asks you to
weigh that risk, lower it where you can, obtain consent, and plan how to respond
to reprisals (ISHR Practical Guide (2025), ch. IV). The Special Procedures follow
"do no harm" and may decide not to act when the risk is too high (same chapter).

You will use the course's risk tool (`course.tools.risk.rules`: each threat is placed
on a likelihood x impact grid to decide what to deal with first, and analysed with the
protection field's formula, threat x vulnerability / capacity) and its reprisals
calendar (`course.tools.risk.reprisals`).

**The case (fictional).** Lena Dorsey runs a small group that documents land
evictions. She plans to send information about the detention of a member of her
group, with the family's consent.
""",
        """
# 模块四练习：安全地参与

**分值：** 10分：自动评分6分，培训师人工评分4分。**用时：** 约45分钟。

与联合国专家打交道，可能增加人权捍卫者及其身边人的风险：家人、同事，乃至整个组织。指南要求您权衡风险，能降则降，征得同意，并事先规划遭到报复时如何应对（ISHR Practical Guide (2025)，第四章）。特别程序遵循“不伤害”原则，若评估认为风险过高，可能决定不采取行动（同一章）。

本练习使用课程的风险工具（`course.tools.risk.rules`：每项威胁先放进“可能性 × 影响”网格，以决定先处理哪些，再用保护领域的公式“威胁 × 脆弱性 ÷ 能力”加以分析）和报复报告日历（`course.tools.risk.reprisals`）。

**案例（虚构）。** 莉娜·多尔西负责一个记录土地强拆的小团体。她打算在家属同意后，就团体一名成员遭拘留一事提交信息。
""",
    ),
    setup(
        """
from datetime import date
from course.tools.risk.rules import AtRisk, RiskItem, RiskRegister, conclusion, suggest_mitigations
from course.tools.risk.reprisals import report_cycle
"""
    ),
    md(
        """
## Question 1: score the risks (2 points)

Lena lists three risks. Build `register = RiskRegister(items=[...], threshold_level="medium")`
with one `RiskItem(who, threat, likelihood, impact)` per line, in this order:

| # | who could be hurt (`who`) | reprisal (`threat`) | likelihood | impact |
|---|---|---|---|---|
| 1 | the detained member (`"victims"`) | ill-treatment in custody (`"physical_violence"`) | 4 | 4 |
| 2 | his family (`"families"`) | surveillance (`"surveillance"`) | 3 | 2 |
| 3 | Lena's group (`"organisation"`) | smear campaign (`"smear"`) | 2 | 2 |

Then store the level of each item (`item.level`) in the list `levels`.
""",
        """
## 第1题：给风险打分（2分）

莉娜列出了三项风险。请建立 `register = RiskRegister(items=[...], threshold_level="medium")`，按下表顺序每行一个 `RiskItem(who, threat, likelihood, impact)`：

| # | 可能受害的人（`who`） | 报复形式（`threat`） | 可能性 | 影响 |
|---|---|---|---|---|
| 1 | 被拘留的成员（`"victims"`） | 羁押期间遭受虐待（`"physical_violence"`） | 4 | 4 |
| 2 | 他的家人（`"families"`） | 监视（`"surveillance"`） | 3 | 2 |
| 3 | 莉娜的团体（`"organisation"`） | 抹黑（`"smear"`） | 2 | 2 |

然后把每项的风险等级（`item.level`）依次存入列表 `levels`。
""",
    ),
    answer(
        """
### BEGIN SOLUTION
register = RiskRegister(items=[
    RiskItem("victims", "physical_violence", 4, 4),
    RiskItem("families", "surveillance", 3, 2),
    RiskItem("organisation", "smear", 2, 2),
], threshold_level="medium")
levels = [item.level for item in register.items]
### END SOLUTION
levels
""",
        "q1_levels",
    ),
    tests(
        """
assert isinstance(register, RiskRegister) and len(register.items) == 3, "three items / 三项风险"
for _item in register.items:
    _item.validate()
assert levels == [item.level for item in register.items], "levels comes from item.level / levels 取自 item.level"
### BEGIN HIDDEN TESTS
assert [(i.who, i.threat) for i in register.items] == [("victims", "physical_violence"), ("families", "surveillance"), ("organisation", "smear")]
assert levels == ["high", "medium", "low"]
assert register.threshold_level == "medium"
### END HIDDEN TESTS
""",
        "q1_tests",
        2,
    ),
    md(
        """
## Question 2: analyse the highest risk the way protection trainers do (2 points)

Protection trainers weigh each threat with **risk = threat x vulnerability / capacity**
(`course.tools.risk.protection`; Protection International, *New Protection Manual for
Human Rights Defenders*; Front Line Defenders, *Workbook on Security*). The threat
scores intent + capability - 1 (both 1-3); vulnerability and capacity are rated 1-5.
Below 2 is low, 2 to below 5 medium, 5 to below 10 high, 10 and above critical.

For item 1 (`first = register.items[0]`):

1. the police have already detained the member (`intent = 3`) and have full means
   (`capability = 3`); the member is highly exposed and has no lawyer yet: append
   `AtRisk("victims", vulnerability=4, capacity=2)` to `register.groups`, then store
   `register.analysis(first)` in `before`;
2. set `first.mitigations` to what `suggest_mitigations(first)` proposes;
3. once those measures are in place, Lena rates the member's vulnerability at 2 (his
   identity kept confidential) and the capacity at 4 (a lawyer ready to act): set
   `first.after_vulnerability` and `first.after_capacity`. Each measure counts only
   for what it acts on: informed consent, for instance, lowers no risk by itself;
4. store `register.analysis(first)` in `after` (its `after_value` and `after_level` are
   the risk once the measures are in place) and `conclusion(register)` in `result`.
""",
        """
## 第2题：像保护培训者那样分析最高的那项风险（2分）

保护培训者用 **风险 = 威胁 × 脆弱性 ÷ 能力** 来衡量每一项威胁（`course.tools.risk.protection`；国际保护组织《人权捍卫者新版保护手册》；前线卫士《安全工作手册》）。威胁得分 = 意图 + 实施能力 − 1（两者均为1-3）；脆弱性和能力按1-5评分。低于2为低，2至不足5为中，5至不足10为高，10及以上为极高。

针对第1项（`first = register.items[0]`）：

1. 警方已经拘留了这名成员（`intent = 3`），而且手段充分（`capability = 3`）；这名成员高度暴露，目前还没有律师：把 `AtRisk("victims", vulnerability=4, capacity=2)` 加入 `register.groups`，然后把 `register.analysis(first)` 存入 `before`；
2. 把 `first.mitigations` 设为 `suggest_mitigations(first)` 给出的建议；
3. 这些措施落实后，莉娜把这名成员的脆弱性评为2（身份保密），能力评为4（有律师随时可以介入）：请设置 `first.after_vulnerability` 和 `first.after_capacity`。每项措施只对它作用的因素计分：例如知情同意本身不会降低任何风险；
4. 把 `register.analysis(first)` 存入 `after`（其中 `after_value` 和 `after_level` 是措施落实后的风险），把 `conclusion(register)` 存入 `result`。
""",
    ),
    answer(
        """
### BEGIN SOLUTION
first = register.items[0]
first.intent, first.capability = 3, 3
register.groups.append(AtRisk("victims", vulnerability=4, capacity=2))
before = register.analysis(first)
first.mitigations = suggest_mitigations(first)
first.after_vulnerability, first.after_capacity = 2, 4
after = register.analysis(first)
result = conclusion(register)
### END SOLUTION
before.value, before.level, after.after_value, after.after_level, result.kind
""",
        "q2_mitigation",
    ),
    tests(
        """
assert register.items[0].mitigations, "item 1 needs measures / 第1项需要措施"
assert before is not None and after is not None, "rate intent, capability, vulnerability and capacity / 请为意图、实施能力、脆弱性和能力评分"
assert result.kind in ("acceptable", "proceed_with_mitigations", "above_threshold"), "result = conclusion(register)"
### BEGIN HIDDEN TESTS
from fractions import Fraction
assert set(register.items[0].mitigations) == set(suggest_mitigations(register.items[0]))
assert (before.value, before.level) == (Fraction(10), "critical")
assert (after.after_value, after.after_level) == (Fraction(5, 2), "medium")
assert result.kind == "proceed_with_mitigations"
### END HIDDEN TESTS
""",
        "q2_tests",
        2,
    ),
    md(
        """
## Question 3: when to report a reprisal (2 points)

Cases of reprisal can be sent for the Secretary-General's annual report on
reprisals. It covers incidents from 1 May to 30 April of the next year; send the
information by 15 April, and the report usually goes to the Council in September
(ISHR Practical Guide (2025), ch. IV, "Understanding reprisals").

Today is 1 April 2025 (`TODAY` below). For each incident date in `incidents`,
use `report_cycle(incident, today=TODAY)` and store:

- in `deadlines`, the cycle's `submission_deadline`;
- in `presented`, the month the report is presented, as text `"YYYY-MM"`
  (from `presentation_month_year`).
""",
        """
## 第3题：何时报告报复事件（2分）

报复案件可以提交给秘书长关于报复问题的年度报告。报告涵盖5月1日至次年4月30日之间发生的事件；材料须在4月15日前送达，报告通常于9月提交人权理事会（ISHR Practical Guide (2025)，第四章，“了解报复”）。

假定今天是2025年4月1日（即下面的 `TODAY`）。对 `incidents` 中的每个事件日期，调用 `report_cycle(incident, today=TODAY)`，并存入：

- `deadlines`：该周期的 `submission_deadline`；
- `presented`：报告提交的月份，写成文本 `"YYYY-MM"`（取自 `presentation_month_year`）。
""",
    ),
    answer(
        """
TODAY = date(2025, 4, 1)
incidents = [date(2024, 6, 10), date(2025, 3, 20), date(2023, 11, 20)]
### BEGIN SOLUTION
cycles = [report_cycle(incident, today=TODAY) for incident in incidents]
deadlines = [cycle.submission_deadline for cycle in cycles]
presented = [cycle.presentation_month_year.strftime("%Y-%m") for cycle in cycles]
### END SOLUTION
list(zip(incidents, deadlines, presented))
""",
        "q3_cycle",
    ),
    tests(
        """
assert len(deadlines) == len(incidents) and len(presented) == len(incidents), "one entry per incident / 每个事件一项"
assert all(isinstance(d, date) for d in deadlines), "deadlines are dates / deadlines 应是日期"
assert all(isinstance(p, str) and len(p) == 7 for p in presented), "presented as 'YYYY-MM'"
### BEGIN HIDDEN TESTS
assert deadlines == [date(2025, 4, 15), date(2025, 4, 15), date(2024, 4, 15)]
assert presented == ["2025-09", "2025-09", "2024-09"]
### END HIDDEN TESTS
""",
        "q3_tests",
        2,
    ),
    md(
        """
## Question 4: reflection (4 points, graded by your facilitator)

In 150 to 250 words, in English or Chinese, answer in the cell below: Lena's
conclusion is "proceed with mitigations". What would make you decide **not** to
send the information after all, and what would you do instead? Do not write real
names or details of a real case.

**Rubric (one point each):**

1. names who else could be harmed besides the detained member;
2. links the decision to consent and to "do no harm" (ISHR Practical Guide (2025), ch. IV);
3. proposes a concrete alternative or a safer way to engage (for example a partner
   organisation submitting, marking parts confidential, secure channels);
4. says whom to contact if a reprisal happens (same chapter).
""",
        """
## 第4题：反思（4分，培训师人工评分）

请在下面的单元格中用中文或英文写150至250字，回答：莉娜的结论是“采取缓解措施后可以推进”。什么情况会让您最终决定**不**提交这些信息？那时您会改做什么？请勿写真实姓名或真实案件的细节。

**评分标准（每项1分）：**

1. 指出除被拘留成员之外还有谁可能受到伤害；
2. 把决定与当事人同意以及“不伤害”原则联系起来（ISHR Practical Guide (2025)，第四章）；
3. 提出具体的替代办法或更安全的参与方式（例如由合作组织代为提交、把部分内容标为保密、使用安全渠道）；
4. 说明一旦遭到报复应联系谁（同一章）。
""",
    ),
    written(
        """
### BEGIN SOLUTION
If the family withdrew consent, or if talking to the family and colleagues showed that the member's
relatives would face arrest or surveillance whatever we did, I would not send the information: the
experts themselves follow "do no harm" and may decide not to act when the risk is too high. Risk
also reaches colleagues and our whole group, not only the person detained. Instead I would ask a
trusted partner organisation abroad to submit a general account of the evictions without names, mark
any identifying details as confidential, and use an encrypted channel. I would keep documenting, agree
with the family on what may be shared later, and prepare a plan: if a reprisal happens, contact the
Special Procedure we engaged with, the OHCHR reprisals team and the Human Rights Council Presidency.
### END SOLUTION
""",
        """
### BEGIN SOLUTION
如果家属撤回同意，或者与家属和同事商量后发现，无论怎样做，这名成员的亲属都会遭到逮捕或监视，我就不会提交这些信息：专家自己也遵循“不伤害”原则，风险过高时可能决定不采取行动。风险也会波及同事和整个团体，而不只是被拘留的人。我会改为请一个可信赖的境外合作组织提交一份不含姓名的强拆情况综述，把可能暴露身份的细节标为保密，并使用加密渠道。我会继续记录，和家属约定以后可以公开哪些内容，并事先做好预案：一旦遭到报复，就联系我们接触过的特别程序、人权高专办报复问题小组和人权理事会主席。
### END SOLUTION
""",
        "q4_reflection",
        4,
    ),
    md(
        """
## Well done

You have finished the assessed exercises. Download your notebook
(File > Download) and send it to your facilitator as
`<your participant id>_m4-safety-en.ipynb`, as they asked.
""",
        """
## 完成了

您已完成全部测评练习。请下载您的笔记本（“文件 > 下载”），并按培训师的要求，命名为 `<您的学员编号>_m4-safety-zh.ipynb` 发给培训师。
""",
    ),
])
