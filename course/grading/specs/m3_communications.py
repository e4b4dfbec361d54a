"""Module 3 exercise: communications in the data, then a submission for a fictional case."""
from ..authoring import Assignment, answer, code_manual, md, setup, tests

DRAFT = '''
### BEGIN SOLUTION
draft = Submission.from_dict({
    "title": "Arbitrary detention of defender Tomas Varga",
    "comm_type": "urgent_appeal",
    "mandate_ids": ["human-rights-defenders", "arbitrary-detention"],
    "sender": {"name": "Rights Watch Collective (fictional)", "organisation": "Rights Watch Collective",
               "contact": "contact details kept by the facilitator; use a secure channel"},
    "urgency": {"is_urgent": True,
                "why": "He has been held without charge or access to a lawyer since 3 March 2025 "
                       "and his trial is due on 14 March 2025."},
    "victims": [{"name": "Tomas Varga", "age": "34", "gender": "man",
                 "origin_residence": "lives in Norwick, the capital of the fictional State of Veloria"}],
    "consent": {"given_by": "family", "in_writing": True, "names_to_government": True, "may_publish": False},
    "facts": {"what": "Police officers arrested Tomas Varga at his office after he helped residents file "
                      "complaints about forced evictions. His laptop was seized and he has not seen a lawyer.",
              "date_from": "2025-03-03", "places": "Norwick, central police station"},
    "perpetrators": {"names": "Officers of the Norwick police, under the city police chief",
                     "roles": "police", "motives": "to stop complaints about the evictions"},
    "context": {"background": "Residents of the river district have been evicted since January 2025 "
                              "without notice or compensation.",
                "legal_framework": "Veloria's public order law allows 30 days' detention without charge."},
    "action": {"domestic": "His family asked the prosecutor for his release on 5 March 2025; no answer.",
               "international": "None yet."},
    "requests": {"actions": "Urge his immediate release and access to a lawyer and his family.",
                 "questions": "On what legal basis is he held? When will he see a lawyer?",
                 "press_release": False},
})
### END SOLUTION
report = check(draft, LANG)
print("answered:", sorted(report.answered), "| consent:", report.consent_ok, "| language:", report.language_ok)
for issue in report.issues:
    print("-", issue.severity, issue.message)
'''


WGAD_DRAFT = '''
### BEGIN SOLUTION
wgad_draft = Submission.from_dict({
    "title": "Detention of Tomas Varga (fictional)",
    "profile": "wgad",
    "mandate_ids": ["arbitrary-detention"],
    "addressee": {"state": "Veloria (fictional)"},
    "sender": {"organisation": "Rights Watch Collective (fictional)",
               "contact": "contact details kept by the facilitator; use a secure channel",
               "relationship": "An NGO writing at the request of his sister, who consented in writing"},
    "victims": [{"name": "Tomas Varga", "age": "34", "gender": "man", "nationality": "Velorian",
                 "occupation": "Community organiser", "hrd_activity": "Helps residents complain about forced evictions"}],
    "consent": {"given_by": "family", "in_writing": True, "names_to_government": True, "may_publish": False},
    "facts": {"what": "Police arrested him at his office after he helped residents file complaints about evictions.",
              "date_from": "2025-03-03", "places": "Norwick"},
    "detention": {"arrest_date": "2025-03-03", "arrest_place": "His office in Norwick",
                  "arrest_forces": "Officers of the Norwick police", "warrant_shown": False,
                  "detained_since": "2025-03-03", "detention_place": "Norwick central police station",
                  "ordered_by": "The Norwick police; no judge has reviewed the detention",
                  "legal_basis": "None given; the public order law allows 30 days without charge",
                  "categories": ["II", "III"],
                  "why_arbitrary": "He is held for helping residents complain (category II), without charge "
                                   "and without a lawyer (category III)."},
    "action": {"domestic": "His family asked the prosecutor for his release on 5 March 2025.",
               "results": "No answer so far."},
})
### END SOLUTION
wgad_report = check(wgad_draft, LANG)
for issue in wgad_report.errors:
    print("-", issue.message)
'''

ASSIGNMENT = Assignment("m3-communications", [
    md(
        """
# Module 3 exercise: communications, from the data to your own draft

**Points:** 16: 11 autograded, 5 graded by your facilitator. **Time:** about 75 minutes.

Communications are letters that the experts send to governments and other
actors about alleged violations. The guide describes three types (urgent
appeals, allegation letters and letters on laws and policies, often called
"other letters") and the nine questions a good submission answers (ISHR Practical
Guide (2025), ch. III, Communications 1 and 3).

Tables used here:

- `communications_sample`: 42 real communications from the public database
  spcommreports.ohchr.org (December 2025 to February 2026), with their type and
  whether they were sent jointly;
- `thematic_reports_2024`: which mandate holders' 2024 reports A/HRC/58/70 lists
  under which theme (paras. 16-26 and footnotes).

Run the cells in order and replace each `raise NotImplementedError()` with your
code. Visible tests guide you; hidden tests are run at grading time.
""",
        """
# 模块三练习：从数据中的来文，到您自己的材料

**分值：** 16分：自动评分11分，培训师人工评分5分。**用时：** 约75分钟。

来文是专家就涉嫌侵犯人权的行为致函政府和其他行为体的信件。指南介绍了三种类型（紧急呼吁、指控信，以及针对法律和政策的信函，常称“其他信函”），还列出了一份好的材料应当回答的九个问题（ISHR Practical Guide (2025)，第三章，来文第1节和第3节）。

本练习使用的数据表：

- `communications_sample`：取自公开数据库 spcommreports.ohchr.org 的42份真实来文（2025年12月至2026年2月），含类型以及是否联合发送；
- `thematic_reports_2024`：A/HRC/58/70 把哪些任务负责人的2024年报告归入哪个主题（第16-26段及脚注）。

请按顺序运行各单元格，把每个 `raise NotImplementedError()` 换成您的代码。可见测试帮您自查，评分时还会运行隐藏测试。
""",
    ),
    setup(
        {
            "en": """
import pandas as pd
from course import data
from course.tools.chooser.timeline import communication_timeline
from course.tools.drafting.rules import Submission, check

LANG = "en"
comms = data.load("communications_sample")
reports = data.load("thematic_reports_2024")
comms[["gid", "date", "addressee_kind", "type", "type_family", "is_joint"]].head()
""",
            "zh": """
import pandas as pd
from course import data
from course.tools.chooser.timeline import communication_timeline
from course.tools.drafting.rules import Submission, check

LANG = "zh"
comms = data.load("communications_sample")
reports = data.load("thematic_reports_2024")
comms[["gid", "date", "addressee_kind", "type", "type_family", "is_joint"]].head()
""",
        }
    ),
    md(
        """
## Question 1: reply deadlines and publication dates (2 points)

For urgent appeals and allegation letters the reply deadline is usually 60 days,
and a communication is published in the database once that deadline has passed
(ISHR Practical Guide (2025), ch. III, Communications 4; A/HRC/58/70, para. 9).
The course's `communication_timeline(comm_type, sent_on)` applies these rules.
Its `comm_type` is `"urgent_appeal"`, `"allegation_letter"` or `"other_letter"`,
the same ids as the table's `type_family` column.

Build a DataFrame `deadlines` with one row per communication in `comms` and the
columns `gid`, `sent` (a `datetime.date`), `reply_deadline` and `published`
(the timeline's `reply_deadline` and `publication_date`).
""",
        """
## 第1题：答复期限与公开日期（2分）

紧急呼吁和指控信的答复期限一般为60天，期限过后，来文会在数据库中公开（ISHR Practical Guide (2025)，第三章，来文第4节；A/HRC/58/70，第9段）。课程函数 `communication_timeline(comm_type, sent_on)` 按这些规则计算日期。它的 `comm_type` 取 `"urgent_appeal"`、`"allegation_letter"` 或 `"other_letter"`，与数据表 `type_family` 列的写法相同。

请建一个 DataFrame `deadlines`：`comms` 中每份来文一行，列为 `gid`、`sent`（`datetime.date` 类型）、`reply_deadline` 和 `published`（分别取时间线的 `reply_deadline` 和 `publication_date`）。
""",
    ),
    answer(
        """
### BEGIN SOLUTION
rows = []
for row in comms.itertuples():
    sent = row.date.date()
    timeline = communication_timeline(row.type_family, sent)
    rows.append({"gid": row.gid, "sent": sent, "reply_deadline": timeline.reply_deadline,
                 "published": timeline.publication_date})
deadlines = pd.DataFrame(rows)
### END SOLUTION
deadlines.head()
""",
        "q1_deadlines",
    ),
    tests(
        """
assert len(deadlines) == len(comms), "one row per communication / 每份来文一行"
assert {"gid", "sent", "reply_deadline", "published"} <= set(deadlines.columns), "columns gid, sent, reply_deadline, published"
### BEGIN HIDDEN TESTS
import datetime as _dt
assert list(deadlines["gid"]) == list(comms["gid"])
for _row in deadlines.itertuples():
    assert _row.reply_deadline == _row.sent + _dt.timedelta(days=60)
    assert _row.published == _row.sent + _dt.timedelta(days=60)
### END HIDDEN TESTS
""",
        "q1_tests",
        2,
    ),
    md(
        """
## Question 2: joint or single? (2 points)

In 2024, 596 of the 665 communications were sent jointly (A/HRC/58/70, para. 8),
which is why the guide advises writing to every relevant mandate when you want
joint action (ch. III, Communications 3). In the sample:

- `joint_count`: how many communications were joint (an `int`);
- `single_count`: how many were sent by a single mandate (an `int`);
- `joint_share_sample`: the percentage that were joint, rounded to one decimal.
""",
        """
## 第2题：联合还是单独？（2分）

2024年，665份来文中有596份是联合发送的（A/HRC/58/70，第8段）；正因如此，指南建议：如果希望联合行动，就把信息发给所有相关任务（第三章，来文第3节）。在样本中：

- `joint_count`：联合发送的来文有多少份（`int`）；
- `single_count`：由单一任务发出的有多少份（`int`）；
- `joint_share_sample`：联合发送所占百分比，保留一位小数。
""",
    ),
    answer(
        """
### BEGIN SOLUTION
joint_count = int(comms["is_joint"].sum())
single_count = int((~comms["is_joint"]).sum())
joint_share_sample = round(100 * comms["is_joint"].mean(), 1)
### END SOLUTION
""",
        "q2_joint",
    ),
    tests(
        """
assert isinstance(joint_count, int) and isinstance(single_count, int), "counts are int / 计数应为 int"
assert joint_count + single_count == len(comms), "every communication is joint or single / 每份来文非联合即单独"
### BEGIN HIDDEN TESTS
assert joint_count == 40 and single_count == 2
assert joint_share_sample == 95.2
### END HIDDEN TESTS
""",
        "q2_tests",
        2,
    ),
    md(
        """
## Question 3: 2024 reports by theme (2 points)

Some rows of `thematic_reports_2024` repeat a document under another mandate or
theme. Count, for each `theme_id`, the number of **distinct** report symbols:
store the result, sorted from most to least, in the Series `per_theme`. Then
store in `themes_with_most` the sorted list of every theme that has the highest
count (there may be a tie).
""",
        """
## 第3题：按主题看2024年的报告（2分）

`thematic_reports_2024` 中有些行会在另一个任务或主题下重复同一份文件。请按 `theme_id` 统计**不同**报告文号的数量，按从多到少排序，存为 Series `per_theme`。然后把数量最多的所有主题排序后存成列表 `themes_with_most`（可能不止一个并列第一）。
""",
    ),
    answer(
        """
### BEGIN SOLUTION
per_theme = reports.groupby("theme_id")["symbol"].nunique().sort_values(ascending=False)
themes_with_most = sorted(per_theme[per_theme == per_theme.max()].index)
### END SOLUTION
per_theme
""",
        "q3_themes",
    ),
    tests(
        """
assert isinstance(per_theme, pd.Series), "per_theme should be a pandas Series / per_theme 应是 Series"
assert list(per_theme) == sorted(per_theme, reverse=True), "sort from most to least / 请从多到少排序"
assert isinstance(themes_with_most, list), "themes_with_most should be a list / themes_with_most 应是列表"
### BEGIN HIDDEN TESTS
assert int(per_theme["vision_methods"]) == 8 and int(per_theme["elections_democracy"]) == 3
assert themes_with_most == ["prevention_peace_security", "women_gender"]
### END HIDDEN TESTS
""",
        "q3_tests",
        2,
    ),
    md(
        """
## Question 4: draft a submission for a fictional case (3 points autograded, 5 by hand)

**The case (fictional).** Tomas Varga, 34, helps residents of the river district
of Norwick, capital of the fictional State of Veloria, complain about forced
evictions. On 3 March 2025 police officers arrested him at his office and seized
his laptop. He is held without charge and has not seen a lawyer; his trial is
set for 14 March. His sister, who gave written consent, asks you to write to the
Special Procedures; she agrees that his name is given to the government but not
that the case is made public. The family asked the prosecutor for his release on
5 March and got no answer.

Fill in `draft` with `Submission.from_dict({...})`: the keys are those of the
course's drafting form (`sender`, `urgency`, `victims`, `consent`, `facts`,
`perpetrators`, `context`, `action`, `requests`). The cell then runs the form's
own check, `check(draft, LANG)`.

**Autograded (3 points):** each of the nine questions answered, consent stated,
and the text written in English, French or Spanish, the languages the Special
Procedures accept (ISHR Practical Guide (2025), ch. III, Communications 3), even
if you work in another language.

**Graded by your facilitator (5 points, one each):**

1. the facts are clear and in order, with dates and places;
2. the perpetrators are identified (names or roles) with any motive;
3. remedies already sought are stated;
4. the asks to the experts are concrete, and the draft is concise;
5. no needless risk to anyone named: only what the experts need, consent respected
   (ch. IV, "Ensuring safe engagement").
""",
        """
## 第4题：为一个虚构案例起草材料（自动评分3分，人工评分5分）

**案情（虚构）。** 托马斯·瓦尔加，34岁，在虚构国家“韦洛里亚”首都诺维克，帮助河区居民就强制迁离提出投诉。2025年3月3日，警察在他的办公室将他逮捕，并扣押了他的笔记本电脑。他至今未被起诉，也没有见到律师；庭审定于3月14日。他的姐姐已书面同意，请您向特别程序提交材料；她同意向政府提供他的姓名，但不同意公开此案。家人曾于3月5日请求检察官释放他，至今没有回音。

请用 `Submission.from_dict({...})` 填写 `draft`：各键与课程起草表相同（`sender`、`urgency`、`victims`、`consent`、`facts`、`perpetrators`、`context`、`action`、`requests`）。单元格随后会运行起草表自带的检查 `check(draft, LANG)`。

**自动评分（3分）：** 九个问题都已回答，写明了同意情况，并且正文用英文、法文或西班牙文书写——这是特别程序接受的语言（ISHR Practical Guide (2025)，第三章，来文第3节）；即使您平时用中文工作，材料正文也要用这三种语言之一。

**培训师人工评分（5分，每项1分）：**

1. 事实清楚、有条理，写明日期和地点；
2. 指明了加害者（姓名或职务）及可能的动机；
3. 写明了已经寻求过哪些救济；
4. 对专家的请求具体明确，全文简洁；
5. 不给任何被提及的人带来不必要的风险：只写专家需要的内容，尊重当事人的同意范围（第四章，“确保安全参与”）。
""",
    ),
    code_manual(DRAFT, "q4_draft", 5),
    tests(
        """
report = check(draft, "en")
assert report.answered == set(range(1, 10)), f"questions still unanswered / 尚未回答的问题: {sorted(set(range(1, 10)) - report.answered)}"
### BEGIN HIDDEN TESTS
assert report.consent_ok
assert report.language_ok
### END HIDDEN TESTS
""",
        "q4_tests",
        3,
    ),
    md(
        """
## Question 5: the same detention for the Working Group on Arbitrary Detention (2 points)

The Working Group on Arbitrary Detention takes cases only from the people
concerned, their families or their representatives, such as lawyers and NGOs
(ISHR Practical Guide (2025), ch. III, Communications 2), and it reads them in
the order of its model questionnaire (E/CN.4/1992/20, annex; OHCHR Fact Sheet
No. 26): identity, arrest, detention, why the detention is arbitrary, remedies
tried at home, who submits. The drafting form's `"wgad"` profile follows that
order and checks what the questionnaire requires.

Build `wgad_draft` for Tomas Varga's case with `"profile": "wgad"`. Besides
what you wrote in question 4, fill in `addressee` (`state`), the sender's
`relationship` to him, and `detention` with the keys `arrest_date`,
`arrest_place`, `arrest_forces`, `warrant_shown`, `detained_since`,
`detention_place`, `ordered_by`, `legal_basis`, `categories` (a list of the
Working Group's categories, `"I"` to `"V"`, that fit the case: see its methods of
work, A/HRC/36/38) and `why_arbitrary`; and say in `action.domestic` what was
tried at home. The cell prints what the check still finds missing.
""",
        """
## 第5题：把同一起拘留提交任意拘留问题工作组（2分）

任意拘留问题工作组只接受当事人、其家属或代表（包括律师和非政府组织）提交的案件（ISHR Practical Guide (2025)，第三章，来文第2节），并按其示范问卷的顺序阅读（E/CN.4/1992/20附件；人权高专办第26号概况介绍）：身份、逮捕、拘留、为何属于任意拘留、在国内寻求过的救济、提交人。起草表的 `"wgad"` 类型就按这个顺序排列，并检查问卷要求的内容。

请为托马斯·瓦尔加的案件建立 `wgad_draft`，设 `"profile": "wgad"`。除了第4题已写的内容，还要填写 `addressee`（`state`）、提交人与他的关系 `relationship`，以及 `detention`，其键为 `arrest_date`、`arrest_place`、`arrest_forces`、`warrant_shown`、`detained_since`、`detention_place`、`ordered_by`、`legal_basis`、`categories`（符合本案的工作组类别列表，取值 `"I"` 至 `"V"`，见其工作方法 A/HRC/36/38）和 `why_arbitrary`；并在 `action.domestic` 中写明在国内做过哪些努力。单元格会打印检查仍发现缺少的内容。正文仍请用英文、法文或西班牙文。
""",
    ),
    answer(WGAD_DRAFT, "q5_wgad"),
    tests(
        """
assert wgad_draft.profile == "wgad", 'set "profile": "wgad" / 请设 "profile": "wgad"'
assert wgad_draft.detention.categories, "choose at least one category / 请至少选择一个类别"
### BEGIN HIDDEN TESTS
_wgad_errors = [i.code for i in check(wgad_draft, "en").errors if i.code.startswith("wgad.")]
assert _wgad_errors == [], _wgad_errors
assert "II" in wgad_draft.detention.categories
### END HIDDEN TESTS
""",
        "q5_tests",
        2,
    ),
    md(
        """
## What's next

Before you send anything real, module 4 asks who could be harmed and how to
lower that risk. Keep drafts of real cases off shared servers such as Binder.
""",
        """
## 接下来

在提交任何真实材料之前，模块四会请您思考：谁可能因此受到伤害，如何降低风险。真实案例的草稿不要放在 Binder 这类共享服务器上。
""",
    ),
])
