"""Keep the tests of a graded notebook out of reach of the answer cells.

A test cell runs in the same kernel as the learner's answers, after them. Stock
nbgrader therefore scores whatever the answers left behind: a redefined ``check()``,
a ``float`` subclass equal to everything, ``len`` shadowed in the namespace, an
IPython input transformer that blanks every later cell. Two layers stop that:

1. **Before each test cell** the executor (:mod:`course.grading.sandbox`) evaluates
   :data:`GUARD_SOURCE` in the kernel, as a *user expression* (IPython evaluates
   those without its input transformers, so a transformer cannot blank the guard).
   The guard restores ``builtins``, IPython's input and AST transformers, its
   traceback display and event callbacks, the names the setup cells imported
   (``check``, ``pd``, ...) and the attributes of the course's modules to the state
   recorded before any answer ran; names that shadow built-ins are moved aside
   while the test runs and put back after it, so the answers still run as written.
   Everything it had to restore comes back as a finding.
2. **Before the kernel starts**, :func:`scan_answers` reads the answer cells'
   source: code that reaches for the grading machinery (builtins, IPython's
   internals, the gradebook, processes, sockets, ``exec``) or rigs comparisons
   (a subclass of ``float`` with its own ``__eq__``) is a finding too.

A finding never changes a score by itself: the submission is flagged "check by
hand" in the report, the CSV and the follow-up list. Code written against the
guard itself can still fool a kernel it shares; that is why the static scan
flags any attempt, and why the kernel runs in a sandbox that cannot reach the
gradebook (:mod:`course.grading.sandbox`).
"""
from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Collection

#: Executed in the kernel with ``PHASE`` (``init``, ``setup``, ``pre``, ``post``) and
#: ``NONCE`` in its globals; leaves a JSON string in ``RESULT``.
GUARD_SOURCE = r'''
import sys as _sys
_g = _sys.modules.get("_sp_grading_guard")
_ip = get_ipython() if PHASE == "init" else _g.shell
_found = []
_TYPES = (float, int, str, bool, complex, list, tuple, dict, set, frozenset, bytes)
_RIGGED = ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__bool__", "__len__",
           "__contains__", "__instancecheck__", "__subclasscheck__", "__getattribute__", "__float__", "__int__",
           "__round__", "__abs__", "__sub__", "__rsub__", "__iter__")
_SHELL_METHODS = ("showtraceback", "_showtraceback", "showsyntaxerror", "run_cell", "run_cell_async",
                  "run_ast_nodes", "run_code", "transform_cell", "transform_ast", "should_run_async",
                  "user_expressions", "ex", "ev")
_TRANSFORMER_LISTS = ("input_transformers_post", "ast_transformers")  # cleanup: the manager's list

def _course_modules():
    return {n: m for n, m in list(_sys.modules.items())
            if (n == "course" or n.startswith("course.")) and not n.startswith("course.grading") and m is not None}

def _record_modules(g):
    for name, module in _course_modules().items():
        if name not in g.modules:
            g.modules[name] = dict(vars(module))

if PHASE == "init":
    import builtins as _b, types as _t
    _g = _t.ModuleType("_sp_grading_guard")
    _g.shell = _ip
    _g.builtins_module = _b
    _g.builtins = dict(vars(_b))
    _g.transformers = {n: list(getattr(_ip, n)) for n in _TRANSFORMER_LISTS}
    _mgr = _ip.input_transformer_manager
    _g.manager = _mgr
    _g.manager_lists = {n: list(getattr(_mgr, n)) for n in ("cleanup_transforms", "line_transforms",
                                                              "token_transformers")}
    _g.methods = {n: getattr(type(_ip), n, None) for n in _SHELL_METHODS}
    _g.own_methods = {n: vars(_ip).get(n, _g) for n in _SHELL_METHODS}
    _g.events = {n: list(cbs) for n, cbs in _ip.events.callbacks.items()}
    _g.custom_exceptions = _ip.custom_exceptions
    _g.hooks = (_sys.excepthook, _sys.displayhook, _sys.gettrace(), _sys.getprofile())
    _g.init_ns = dict(_ip.user_ns)
    _g.protected = {}
    _g.modules = {}
    _g.stash = {}
    _g.ns_id = id(_ip.user_ns)
    _sys.modules["_sp_grading_guard"] = _g
    _record_modules(_g)
elif _g is None:
    _found.append("the grading guard was removed from the kernel")
elif PHASE == "setup":
    for _name, _value in list(_ip.user_ns.items()):
        if _name.startswith("_") or _g.init_ns.get(_name, _g) is _value:
            continue
        if isinstance(_value, type(_sys)) or (callable(_value) and getattr(_value, "__module__", "__main__")
                                                not in ("__main__", None)):
            _g.protected[_name] = _value
    _record_modules(_g)
elif PHASE == "pre":
    _b = _g.builtins_module
    _live = vars(_b)
    for _name, _value in _g.builtins.items():
        if _live.get(_name, _g) is not _value:
            _found.append(f"builtins.{_name} was replaced")
            _live[_name] = _value
    for _name in [n for n in _live if n not in _g.builtins]:
        _found.append(f"builtins.{_name} was added")
        del _live[_name]
    if _sys.modules.get("builtins") is not _b:
        _found.append("the builtins module was replaced")
        _sys.modules["builtins"] = _b
    _ns = _ip.user_ns
    if id(_ns) != _g.ns_id:
        _found.append("the user namespace was replaced")
    if _ns.get("__builtins__", _b) not in (_b, _live):
        _found.append("__builtins__ of the namespace was replaced")
        _ns["__builtins__"] = _b
    for _name, _value in _g.transformers.items():
        if list(getattr(_ip, _name)) != _value:
            _found.append(f"IPython {_name} were changed")
            setattr(_ip, _name, list(_value))
    for _name, _value in _g.manager_lists.items():
        if list(getattr(_g.manager, _name)) != _value:
            _found.append(f"IPython input_transformer_manager.{_name} were changed")
            setattr(_g.manager, _name, list(_value))
    if _ip.input_transformer_manager is not _g.manager:
        _found.append("IPython input_transformer_manager was replaced")
        _ip.input_transformer_manager = _g.manager
    for _name, _value in _g.methods.items():
        if vars(_ip).get(_name, _g) is not _g.own_methods[_name]:
            _found.append(f"get_ipython().{_name} was overridden")
            if _g.own_methods[_name] is _g:
                delattr(_ip, _name)
            else:
                setattr(_ip, _name, _g.own_methods[_name])
        if getattr(type(_ip), _name, None) is not _value:
            _found.append(f"IPython's {_name} was replaced")
            setattr(type(_ip), _name, _value)
    for _name, _value in _g.events.items():
        if list(_ip.events.callbacks.get(_name, [])) != _value:
            _found.append(f"IPython {_name} event callbacks were changed")
            _ip.events.callbacks[_name][:] = _value
    if _ip.custom_exceptions != _g.custom_exceptions:
        _found.append("IPython custom exception handlers were set")
        _ip.set_custom_exc((), None)
    if (_sys.excepthook, _sys.displayhook, _sys.gettrace(), _sys.getprofile()) != _g.hooks:
        _found.append("sys hooks (excepthook, displayhook, trace, profile) were changed")
        _sys.excepthook, _sys.displayhook = _g.hooks[:2]
        _sys.settrace(_g.hooks[2])
        _sys.setprofile(_g.hooks[3])
    for _module_name, _attrs in _g.modules.items():
        _module = _sys.modules.get(_module_name)
        if _module is None:
            continue
        _now = vars(_module)
        for _name, _value in _attrs.items():
            if _now.get(_name, _g) is not _value:
                _found.append(f"{_module_name}.{_name} was replaced")
                _now[_name] = _value
    _g.stash = {}
    for _name, _value in _g.protected.items():
        _current = _ns.get(_name, _g)
        if _current is not _value:
            _g.stash[_name] = _current
            if callable(_current) or isinstance(_current, type(_sys)):
                _found.append(f"{_name} (set up by the notebook) was redefined")
            _ns[_name] = _value
    for _name in [n for n in _ns if n in _g.builtins and n not in _g.protected]:
        _current = _ns[_name]
        if _g.init_ns.get(_name, _g) is _current:
            continue
        _g.stash[_name] = _current
        if callable(_current) or isinstance(_current, type):
            _found.append(f"{_name} shadows the built-in of that name")
        del _ns[_name]
    for _name, _value in list(_ns.items()):
        if _name.startswith("_") or _g.init_ns.get(_name, _g) is _value:
            continue
        _type = type(_value)
        _mro = getattr(_type, "__mro__", ())
        if getattr(_type, "__module__", "") == "__main__" and (
                any(base in _TYPES for base in _mro) or any(m in vars(k) for k in _mro[:-1] for m in _RIGGED
                                                           if getattr(k, "__module__", "") == "__main__")):
            _found.append(f"{_name} is a {_type.__name__}, a type defined in the notebook that changes "
                          f"comparisons or built-in behaviour")
        _meta = type(_type)
        if getattr(_meta, "__module__", "builtins") == "__main__":
            _found.append(f"{_name} has a metaclass defined in the notebook")
        if getattr(_type, "__module__", "") == "__main__":
            # the test sees the plain value underneath (float's own conversion, not the subclass's)
            for _base, _plain in ((float, float.__float__), (int, int.__int__), (str, str.__str__)):
                if isinstance(_value, _base):
                    if _name not in _g.stash:
                        _g.stash[_name] = _value
                    _ns[_name] = _plain(_value)
                    break
elif PHASE == "post":
    _ns = _ip.user_ns
    for _name, _value in _g.stash.items():
        if _value is _g:
            _ns.pop(_name, None)
        else:
            _ns[_name] = _value
    _g.stash = {}

import json as _json
RESULT = _json.dumps({"nonce": NONCE, "found": _found})
'''


def guard_expression(phase: str, nonce: str) -> str:
    """A single Python expression that runs :data:`GUARD_SOURCE` and evaluates to its JSON result."""
    return (f"(lambda g: (exec(compile({GUARD_SOURCE!r}, '<sp-grading-guard>', 'exec'), g), g['RESULT'])[1])"
            f"({{'PHASE': {phase!r}, 'NONCE': {nonce!r}, 'get_ipython': get_ipython}})")


# --------------------------------------------------------------------------- the static scan

_MODULES = {"builtins", "ctypes", "gc", "sqlite3", "subprocess", "socket", "importlib", "inspect", "IPython",
            "ipykernel", "multiprocessing", "threading", "signal", "pty", "shutil", "urllib", "http", "requests",
            "httpx", "nbgrader", "nbformat", "nbclient", "jupyter_client", "zmq", "pickle", "marshal", "types",
            "code", "codeop", "runpy", "sys", "posix", "asyncio", "os", "pathlib", "glob", "tempfile", "base64"}
_SYSTEM_MODULES = {"os", "sys", "shutil", "subprocess", "builtins", "signal", "gc", "ctypes", "socket"}
_CALLS = {"exec", "eval", "compile", "__import__", "globals", "vars", "setattr", "delattr", "getattr",
          "breakpoint", "open", "get_ipython"}
_ATTRS = {"input_transformers_post", "input_transformers_cleanup", "ast_transformers", "input_transformer_manager",
          "showtraceback", "_showtraceback", "set_custom_exc", "custom_exceptions", "run_cell", "transform_cell",
          "events", "register_magic_function", "__builtins__", "__class__", "__subclasses__", "__globals__",
          "__code__", "__bases__", "__mro__", "__dict__", "settrace", "setprofile", "excepthook", "displayhook",
          "user_ns"}
_WORDS = re.compile(r"gradebook|roster|solutions|submitted|autograded|\.ipynb|/home/|/root|/etc/|~/", re.I)
_BUILTIN_NAMES = set(dir(builtins))
_RIGGED_METHODS = {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__bool__",
                   "__len__", "__contains__", "__instancecheck__", "__subclasscheck__", "__getattribute__",
                   "__float__", "__int__", "__round__", "__abs__", "__sub__", "__rsub__", "__iter__"}
_BUILTIN_TYPES = {"float", "int", "str", "bool", "complex", "list", "tuple", "dict", "set", "frozenset", "bytes",
                  "type"}


def _without_magics(source: str) -> tuple[str, list[str]]:
    """Source with IPython's ``!``/``%`` lines blanked, and what they were."""
    kept, magics = [], []
    for line in source.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith(("!", "%")):
            magics.append(stripped[:60])
            kept.append("")
        else:
            kept.append(line)
    return "\n".join(kept), magics


def scan_source(source: str, protected: Collection[str] = frozenset()) -> list[str]:
    """What one answer cell does that an answer to a course exercise never needs.

    ``protected`` are the names the notebook's setup cells import (``check``, ``pd``):
    rebinding one of them to a function is a finding. Returns short English phrases.
    """
    code, magics = _without_magics(source)
    found = [f"runs an IPython command: {m}" for m in magics]
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return found + (["has code Python cannot parse"] if code.strip() else [])
    imported = set(protected) | {"course"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported |= {a.asname or a.name for a in node.names}
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AugAssign, ast.AnnAssign)) else node.targets if isinstance(node, ast.Delete) else []
        for target in targets:
            root = target
            while isinstance(root, (ast.Attribute, ast.Subscript)):
                root = root.value
            if target is not root and isinstance(root, ast.Name) and root.id in imported:
                found.append(f"changes {ast.unparse(target)[:60]}, which belongs to a library or the course")
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if name.split(".")[0] in _MODULES:
                    found.append(f"imports {name}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _CALLS:
            found.append(f"calls {node.func.id}()")
        elif isinstance(node, ast.Attribute) and node.attr in _ATTRS:
            found.append(f"uses .{node.attr}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in _SYSTEM_MODULES:
            found.append(f"uses {node.value.id}.{node.attr}")
        elif isinstance(node, ast.Name) and node.id in ("__builtins__", "get_ipython"):
            found.append(f"uses {node.id}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and (word := _WORDS.search(node.value)):
            found.append(f"names a file or folder outside the exercise ({word.group(0)})")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name in protected or node.name in _BUILTIN_NAMES:
                found.append(f"defines {node.name}, a name the tests rely on")
            if isinstance(node, ast.ClassDef):
                bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
                methods = {n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
                methods |= {t.id for n in node.body if isinstance(n, ast.Assign) for t in n.targets
                            if isinstance(t, ast.Name)}
                if bases & _BUILTIN_TYPES or methods & _RIGGED_METHODS or node.keywords:
                    found.append(f"defines class {node.name} that changes comparisons or built-in behaviour")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.NamedExpr)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for part in ast.walk(target):
                    if isinstance(part, ast.Name) and (part.id in protected or part.id in _BUILTIN_NAMES) \
                            and isinstance(getattr(node, "value", None), (ast.Lambda, ast.Name, ast.Attribute,
                                                                           ast.Call)):
                        found.append(f"rebinds {part.id}, a name the tests rely on")
        elif isinstance(node, ast.Global):
            found.append("declares global names")
    return list(dict.fromkeys(found))


def setup_names(nb: dict) -> set[str]:
    """Names bound by ``import`` in the notebook's locked, ungraded cells (its setup)."""
    names: set[str] = set()
    for cell in nb.get("cells", []):
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if cell.get("cell_type") != "code" or not meta.get("locked") or meta.get("grade") or meta.get("solution"):
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        try:
            tree = ast.parse(_without_magics(source)[0])
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def scan_answers(nb: dict) -> list[str]:
    """Findings of :func:`scan_source` over every answer cell: one line per cell, led by the cell's id."""
    from .inspect import INPUT_STUB_ID  # the grader's own input() stub is not the participant's code

    protected = setup_names(nb)
    found: list[str] = []
    for cell in nb.get("cells", []):
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if cell.get("cell_type") != "code" or meta.get("locked") or cell.get("id") == INPUT_STUB_ID:
            continue  # the input() stub is the grader's own repair (course.grading.inspect)
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        name = meta.get("grade_id") or cell.get("id") or "?"
        items = scan_source(source, protected)
        if items:
            found.append(f"{name}: " + ", ".join(items))
    return found
