"""Write modules/{en,zh}/home.ipynb, the course's landing pages, from one structure.

Both pages are generated together so their cells always correspond; edit the
texts here, run `python scripts/make_home.py`, then `python -m course.parity sync`.
"""
from pathlib import Path

import nbformat as nbf

ROOT = Path(__file__).resolve().parents[1]
LAB = "../../../../lab/tree"  # from /voila/render/modules/<lang>/ back to the server root

TEXT = {
"en": [
"""# The UN Special Procedures: a practical course for human rights defenders

[中文版](../zh/home.ipynb)

The UN's independent human rights experts — special rapporteurs, independent experts and working groups, known together as the **Special Procedures** — can question governments about a case within days, visit countries, and put a problem on the record of the Human Rights Council. This course shows you how to use them in your own work, and how to do it without putting anyone at risk.

It follows the four chapters of the International Service for Human Rights' *Practical Guide to the UN Special Procedures* (2025), and uses the real figures of the Special Procedures' report on 2024, *A/HRC/58/70*.

**Who it is for**: human rights defenders and the organisations that support them, workshop participants and self-learners. You need no legal training and no programming: every page works as an app.""",
"""## Before you start: your safety

Everything you type into the course's tools stays on the computer that runs the course. Nothing is sent to the UN or to anyone else; you decide what to download and where to send it. If you are using a public server such as Binder, practise with **fictional** people only, and download your work before you leave: the session and its files disappear after a few idle minutes.""",
"""## The four modules and the capstone

| | Module | What you will be able to do | Time |
|---|---|---|---|
| 1 | [What the Special Procedures are and what they do](01-what-they-are.ipynb) | explain who the experts are and the six tools they work with, read the 2024 figures | about 70 min |
| 2 | [How they can support your work](02-how-they-help.ipynb) | tell when the Special Procedures are the right mechanism, compared with the UPR and the treaty bodies | about 75 min |
| 3 | [How to engage with them](03-engaging.ipynb) | choose a communication type, draft a submission that answers the nine key questions, take part in visits and reports | 90–120 min |
| 4 | [How to engage safely](04-engaging-safely.ipynb) | assess and reduce the risk of reprisals, and know whom to tell if they happen | about 95 min |
| ★ | [Capstone: one case from start to finish](05-capstone.ipynb) | take a fictional case from the chooser through a draft, a risk assessment and a follow-up plan, and check it against a rubric | 60–90 min |

Each module ends with short *check yourself* questions. Sources are cited after each fact: "Guide, ch. III, 1" means chapter III, section 1 of the ISHR guide; "A/HRC/58/70, para. 8" means paragraph 8 of the 2024 report.""",
"""## The tools

Three tools help you prepare a real submission. Each opens as its own page, and the modules use them too.

- [Which kind of communication?](tools/chooser.ipynb) — answer a few plain questions and get the likely communication type, the parallel routes, the mandates to address and the timeline.
- [Drafting form](tools/drafting.ipynb) — write your submission question by question, check it, and download it as Word, Markdown or JSON.
- [Risk matrix and reprisal plan](tools/risk.ipynb) — weigh who could be hurt and how, choose mitigations, and plan what to do if reprisals happen.""",
"""## Exercises

Assessed exercises on the real data are in the [exercises folder](LAB/exercises), one per module in each language. Open them in JupyterLab, follow the instructions, and run the checks in each notebook. In a workshop your facilitator collects and grades them; on your own, compare your answers with the checks.""",
"""## The data

The course's figures come from public UN sources, kept as tidy tables with their provenance in the [data folder](LAB/data):

- the Special Procedures' facts and figures for 2024 (A/HRC/58/70);
- the thematic reports of 2024 listed in that report;
- the guide's comparison of the UPR, the Special Procedures and the treaty bodies;
- Human Rights Council resolutions that created or renewed mandates, 2007–2026 (from the OHCHR voting records, compiled by Łukasz Szoszkiewicz's *hrc-voting* dataset);
- a small, deliberately **biased** sample of real communications (business-related, December 2025 to February 2026).""",
"""## Where to go next

Start with [module 1](01-what-they-are.ipynb). If you already know what the Special Procedures are and want to send information about a case, go straight to [module 3](03-engaging.ipynb) and [module 4](04-engaging-safely.ipynb) — in that order, but read module 4 before you send anything. Learning on your own? Finish with the [capstone](05-capstone.ipynb), which takes one fictional case through every step.""",
],
"zh": [
"""# 联合国特别程序：写给人权捍卫者的实用课程

[English version](../en/home.ipynb)

联合国的独立人权专家——特别报告员、独立专家和工作组，统称**特别程序**——可以在几天之内就个案向政府发函询问，可以到各国访问，也可以把一个问题写进人权理事会的记录。本课程告诉您如何在自己的工作中运用这些机制，以及怎样做才不会让任何人陷入危险。

课程按照国际人权服务社（ISHR）《联合国特别程序实用指南》（2025 年版）的四章展开，并使用特别程序 2024 年度报告 *A/HRC/58/70* 中的真实数据。

**适用对象**：人权捍卫者及支持他们的机构、工作坊学员和自学者。不需要法律背景，也不需要会编程：每一页都可以当作应用直接使用。""",
"""## 开始之前：先顾好安全

您在课程工具里输入的一切，都只保存在运行本课程的这台电脑上，不会发给联合国或任何其他人；下载什么、寄给谁，由您自己决定。如果您在 Binder 这类公共服务器上学习，请只用**虚构**人物练习，并在离开前下载自己的成果：会话闲置几分钟后就会结束，里面的文件也会一并消失。""",
"""## 四个模块和综合练习

| | 模块 | 学完后您能够 | 时间 |
|---|---|---|---|
| 1 | [特别程序是什么、做什么](01-what-they-are.ipynb) | 说明专家是谁、他们手中的六种工具，看懂 2024 年的数据 | 约 70 分钟 |
| 2 | [特别程序如何支持您的工作](02-how-they-help.ipynb) | 与普遍定期审议和条约机构相比，判断什么时候该找特别程序 | 约 75 分钟 |
| 3 | [如何与特别程序合作](03-engaging.ipynb) | 选择来文类型，写出回答九个关键问题的材料，参与国家访问和报告 | 90–120 分钟 |
| 4 | [如何安全地参与](04-engaging-safely.ipynb) | 评估并降低遭受报复的风险，知道一旦发生报复该向谁求助 | 约 95 分钟 |
| ★ | [综合练习：一个案件从头走到尾](05-capstone.ipynb) | 带着一个虚构案件走完选择类型、起草、评估风险和规划跟进，并对照评分标准自查 | 60–90 分钟 |

每个模块都配有简短的“自我检测”。每条事实后面都注明出处：“《指南》第三章第1节”指国际人权服务社指南第三章第1节；“A/HRC/58/70，第8段”指 2024 年度报告第8段。""",
"""## 三个工具

以下三个工具帮助您准备一份真正可用的材料。每个工具都可以单独打开，各模块里也会用到。

- [该用哪种来文？](tools/chooser.ipynb)——回答几个简单的问题，就能看到可能适用的来文类型、可同时走的其他途径、可以联系的任务授权以及时间表。
- [材料起草表](tools/drafting.ipynb)——逐题写好您的材料，检查完整性，并下载为 Word、Markdown 或 JSON 文件。
- [风险矩阵与报复应对计划](tools/risk.ipynb)——想清楚谁可能受到伤害、以什么方式受到伤害，选择缓解措施，并预先计划万一遭到报复时该怎么办。""",
"""## 练习

基于真实数据的考核练习放在[练习文件夹](LAB/exercises)中，每个模块中英文各一套。请在 JupyterLab 中打开，按说明作答，并运行每个笔记本里的检查。参加工作坊时由培训师收集并评分；自学时可以对照检查结果核对答案。""",
"""## 数据

课程中的数字全部来自联合国公开资料，整理成带出处的表格，放在[数据文件夹](LAB/data)中：

- 特别程序 2024 年的情况与数字（A/HRC/58/70）；
- 该报告列出的 2024 年专题报告；
- 《指南》对普遍定期审议、特别程序和条约机构的比较；
- 2007–2026 年间设立或延续任务的人权理事会决议（取自人权高专办的表决记录，由 Łukasz Szoszkiewicz 的 *hrc-voting* 数据集整理）；
- 一小批真实来文样本，特意标明**有偏差**（仅涉及工商业，时间为 2025 年 12 月至 2026 年 2 月）。""",
"""## 接下来

请从[模块一](01-what-they-are.ipynb)开始。如果您已经了解特别程序，想就某个案件提交信息，可以直接学习[模块三](03-engaging.ipynb)和[模块四](04-engaging-safely.ipynb)——但在发送任何材料之前，一定要先读完模块四。自学的话，最后可以做一做[综合练习](05-capstone.ipynb)，带着一个虚构案件把每一步都走一遍。""",
],
}

WARNING_CELL = 'from course.tools.shell import public_server_warning\n\nLANG = "{lang}"\npublic_server_warning(LANG)'


def build(lang: str) -> nbf.NotebookNode:
    texts = [text.replace("LAB/", LAB + "/") for text in TEXT[lang]]
    cells = [nbf.v4.new_markdown_cell(texts[0]), nbf.v4.new_code_cell(WARNING_CELL.format(lang=lang))]
    cells += [nbf.v4.new_markdown_cell(text) for text in texts[1:]]
    notebook = nbf.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "sp_course": {"page": "home", "lang": lang},
    }
    return notebook


def main() -> None:
    for lang in TEXT:
        path = ROOT / "modules" / lang / "home.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        old = nbf.read(path, as_version=4) if path.exists() else None
        notebook = build(lang)
        if old is not None and "counterpart" in old.metadata.get("sp_course", {}):
            notebook.metadata["sp_course"]["counterpart"] = old.metadata["sp_course"]["counterpart"]
        nbf.write(notebook, path)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
