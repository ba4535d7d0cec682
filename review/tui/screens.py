"""The review screen, which turns keys into session calls, and its modal dialogs."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import regex
from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import (
    Button,
    Input,
    Label,
    OptionList,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from review.errors import ReviewError
from review.model import Pair, ReviewState, Severity, Status
from review.session import MQM_CATEGORIES, Filter, ReviewSession
from review.terminal import visible
from review.tui.messages import CorrectionChecked, CursorMoved, GlossesReady
from review.tui.widgets import Glosses, KeyBar, PairList, PairView, ReviewHeader

if TYPE_CHECKING:
    from review.checks import CheckContext
    from review.correction import CorrectionQA, Peers

T = TypeVar("T")
_HAN = regex.compile(r"\p{Han}")
# Cross-references that explain nothing to a reader come last (和 → "old variant of 和[he2]").
_WEAK_GLOSS = regex.compile(r"^(?:old |archaic )?variant of|^surname |^see |^used in ")


@dataclass(frozen=True)
class Key:
    """One review key: the binding, its footer label, and the line on the help screen."""

    key: str
    action: str
    label: str
    help: str
    show: bool = True
    display: str = ""


KEYS: tuple[Key, ...] = (
    Key("a", "accept", "Accept", "accept the translation as it is"),
    Key("e", "correct", "Correct", "correct the Chinese (editor: ctrl+s saves, escape cancels)"),
    Key("enter", "correct", "Correct", "same as e", show=False),
    Key("r", "reject", "Reject", "reject the translation"),
    Key("c", "comment", "Comment", "add a comment to the pair"),
    Key("m", "mqm", "MQM", "tag an MQM error category with a severity"),
    Key("u", "undo", "Undo", "undo the last action (again and again)"),
    Key("n", "next_unreviewed", "Next", "go to the next unreviewed pair"),
    Key("N", "prev_unreviewed", "Prev", "go to the previous unreviewed pair", show=False),
    Key("f", "filter", "Filter", "filter by status, divergence, finding code, severity"),
    Key("slash", "search", "Search", "search the English or Chinese text", display="/"),
    Key("g", "goto", "Go to", "go to a pair by its number"),
    Key("o", "toggle_order", "Order", "switch worst-first / document order"),
    Key("plus", "merge", "Merge", "merge the pair with the next one", show=False, display="+"),
    Key("s", "split('en')", "Split EN", "split: move the last EN sentence to the next pair",
        show=False),
    Key("S", "split('zh')", "Split ZH", "split: move the last ZH sentence to the next pair",
        show=False),
    Key("x", "misaligned", "Misaligned", "mark the pair misaligned", show=False),
    Key("shift+up", "scroll_pair(-3)", "Scroll", "", show=False),
    Key("shift+down", "scroll_pair(3)", "Scroll", "", show=False),
    Key("question_mark", "help", "Help", "show this help", display="?"),
    Key("q", "quit", "Quit", "quit (every action is already saved)"),
)
LIST_KEYS = (
    ("↑ ↓", "previous / next pair"),
    ("pgup pgdn", "a page up / down"),
    ("home end", "first / last pair"),
    ("shift+↑ ↓", "scroll the pair view"),
)


def gloss_words(zh: str) -> Glosses:
    """Each distinct Chinese word of `zh` (jieba) with pinyin and CC-CEDICT glosses, in order."""
    from review.lexicon import get_lexicon

    lexicon = get_lexicon()
    seen: set[str] = set()
    found: list[tuple[str, str, tuple[str, ...]]] = []

    def add(word: str) -> bool:
        seen.add(word)
        meanings = lexicon.glosses(word) or lexicon.proper_glosses(word)
        if not meanings:
            return False
        ranked = sorted(meanings, key=lambda gloss: bool(_WEAK_GLOSS.match(gloss)))
        readings = lexicon.pinyin(word)
        # Capitalised readings are names (三 San1 is a surname); the common word comes first.
        common = [r for r in readings if not r[:1].isupper()]
        reading = (common or [*readings, ""])[0]
        found.append((word, reading, tuple(ranked)))
        return True

    for token in lexicon.zh_tokens(zh):
        word = token.text
        if word in seen or not _HAN.search(word) or add(word):
            continue
        # A word the dictionary lacks (a name, a title like 经济日报) is still readable in
        # its longest known parts, 经济 + 日报, and at worst char by char.
        start = 0
        while start < len(word):
            longest = min(len(word) - (start == 0), start + 4)  # the whole word is not known
            for end in range(longest, start, -1):
                part = word[start:end]
                if part in seen or (_HAN.match(part) and add(part)):
                    break
            start = end
    return tuple(found)


class ReviewScreen(Screen[None]):
    """The pair list over the pair view; every key is one call on the session."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(k.key, k.action, k.label, show=k.show, key_display=k.display or None)
        for k in KEYS
    ]

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session
        # Bounded: a reviewer may page through thousands of pairs in one sitting.
        self._glosses: LRUCache[str, Glosses] = LRUCache(2048)
        self._last_action = ""
        self._failed = ""  # why the last action was not saved, until one is
        self._last_query = ""
        self._quitting = False

    def compose(self) -> ComposeResult:
        yield ReviewHeader(id="header")
        yield PairList(id="pairs")
        yield PairView(id="pair")
        yield KeyBar([(k.display or k.key, k.label) for k in KEYS if k.show], id="keys")

    def on_mount(self) -> None:
        self.query_one(PairList).source = self.session
        self.refresh_all()
        self.query_one(PairList).focus()

    # Drawing ---------------------------------------------------------------------------------

    def refresh_all(self) -> None:
        """Redraw list, header and pair view from the session after any change."""
        self.query_one(PairList).reload(self.session.cursor)
        self.refresh_header()
        self.refresh_pair()

    def refresh_header(self) -> None:
        progress = self.session.progress()
        self.query_one(ReviewHeader).show(
            reviewer=self.session.reviewer,
            reviewed=progress.reviewed,
            total=progress.total,
            counts=[(status, progress.by_status.get(status, 0)) for status in Status],
            project_path=self.session.project_path,
            save_state=(
                "readonly" if self.session.store.readonly else "failed" if self._failed else "saved"
            ),
            note=self._failed or self._last_action,
            order=self.session.order,
            filter_text=self.session.filter.describe() if self.session.filter.active else "",
            shown=len(self.session),
        )

    def refresh_pair(self) -> None:
        state = self.session.current
        glosses: Glosses | None = None
        if state is not None:
            glosses = self._glosses.get(state.pair.zh)
            if glosses is None:
                # After the frame: the lookup thread must not hold the GIL while it is drawn.
                self.call_after_refresh(self._look_up, state.pair.zh)
        self.query_one(PairView).show(state, glosses)

    @work(thread=True, exclusive=True, group="glosses")
    def _look_up(self, zh: str) -> None:
        # The dictionary takes seconds to load the first time: never on the event loop.
        self.post_message(GlossesReady(zh, gloss_words(zh)))

    def on_glosses_ready(self, message: GlossesReady) -> None:
        self._glosses[message.zh] = message.glosses
        state = self.session.current
        if state is not None and state.pair.zh == message.zh:
            self.query_one(PairView).show(state, message.glosses)

    def on_cursor_moved(self, message: CursorMoved) -> None:
        self.session.move_to(message.index)
        self.refresh_pair()

    # Calling the core ------------------------------------------------------------------------

    def _report(self, error: ReviewError) -> None:
        self._failed = error.message
        hint = f"\n{error.hint}" if error.hint else ""
        message = visible(f"{error.message}{hint}")
        self.notify(message, title="Cannot do that", severity="error", markup=False)

    def _call(self, method: Callable[..., T], *args: Any) -> T | None:
        """Run one session call; a ReviewError becomes a notification, never a traceback."""
        try:
            return method(*args)
        except ReviewError as error:
            self._report(error)
            return None
        finally:
            self.refresh_all()

    def _act(self, method: Callable[..., str], *args: Any, advance: bool = False) -> None:
        """Run one action; its outcome is shown next to the saved mark in the header."""
        if self._current() is None:
            return
        try:
            self._last_action, self._failed = method(*args), ""
        except ReviewError as error:
            self._report(error)
        else:
            if advance:
                # A verdict moves on, so a reviewer can go a → a → a down the list.
                self.session.move(1)
        self.refresh_all()

    def _current(self) -> ReviewState | None:
        state = self.session.current
        if state is None:
            self.notify("No pair here: the filter matches nothing.", severity="warning")
        return state

    def action_accept(self) -> None:
        self._act(self.session.accept, advance=True)

    def action_reject(self) -> None:
        self._act(self.session.reject, advance=True)

    def action_misaligned(self) -> None:
        self._act(self.session.mark_misaligned, advance=True)

    def action_merge(self) -> None:
        self._act(self.session.merge_with_next)

    def action_split(self, side: str) -> None:
        self._act(self.session.split_last, "zh" if side == "zh" else "en")

    def action_undo(self) -> None:
        try:
            outcome = self.session.undo()
        except ReviewError as error:
            self.notify(visible(error.message), title="Cannot undo", severity="error", markup=False)
            return
        finally:
            self.refresh_all()
        if outcome is None:
            self.notify("Nothing to undo.", severity="warning")
        else:
            self._last_action, self._failed = outcome, ""
            self.refresh_header()

    def action_toggle_order(self) -> None:
        self._call(self.session.toggle_order)

    def action_next_unreviewed(self) -> None:
        if self._call(self.session.next_unreviewed) is False:
            self.notify("Every pair in view is reviewed.", severity="information")

    def action_prev_unreviewed(self) -> None:
        if self._call(self.session.prev_unreviewed) is False:
            self.notify("Every pair in view is reviewed.", severity="information")

    def action_correct(self) -> None:
        state = self._current()
        if state is None:
            return

        def save(text: str | None) -> None:
            if text is None or (state.correction is not None and text == state.correction):
                return
            similar = self._call(self.session.correct, text)
            if similar is None:
                return
            verb = "accepted the unchanged MT of" if text == state.pair.zh else "corrected"
            self._last_action, self._failed = f"{verb} pair {state.number}", ""
            if similar:
                self._offer_propagation(similar, text)
            else:
                self.session.move(1)
            self.refresh_all()

        checker = CorrectionChecker(self.session.signed_off_texts())
        self.app.push_screen(EditScreen(state, checker), save)

    def _offer_propagation(self, pair_ids: Sequence[str], text: str) -> None:
        def answer(apply: bool | None) -> None:
            if apply:
                outcome = self._call(self.session.apply_correction, pair_ids, text)
                self._last_action = outcome or self._last_action
            self.session.move(1)
            self.refresh_all()

        count = len(pair_ids)
        others = "other pair" if count == 1 else "other pairs"
        self.app.push_screen(
            ConfirmScreen(f"Apply the same fix to {count} {others} with the same English?"),
            answer,
        )

    def action_comment(self) -> None:
        if self._current() is None:
            return

        def save(text: str | None) -> None:
            if text and text.strip():
                self._act(self.session.comment, text.strip())

        self.app.push_screen(PromptScreen("Comment on this pair", "what is wrong, or a note"), save)

    def action_mqm(self) -> None:
        if self._current() is None:
            return

        def save(tag: tuple[str, Severity] | None) -> None:
            if tag is not None:
                self._act(self.session.tag_mqm, *tag)

        self.app.push_screen(MqmScreen(), save)

    def action_filter(self) -> None:
        def apply(new: Filter | None) -> None:
            if new is not None:
                self._call(self.session.set_filter, new)
                if len(self.session) == 0:
                    self.notify("No pair matches this filter.", severity="warning")

        self.app.push_screen(FilterScreen(self.session.filter, self.session.code_counts()), apply)

    def action_search(self) -> None:
        def find(query: str | None) -> None:
            if not query or not query.strip():
                return
            self._last_query = query.strip()
            if not self._call(self.session.search, self._last_query):
                self.notify(f"No pair contains “{self._last_query}”.", severity="warning")

        # Prefilled with the last query, so / enter finds the next match.
        prompt = PromptScreen("Search the English or Chinese text", "text", value=self._last_query)
        self.app.push_screen(prompt, find)

    def action_goto(self) -> None:
        def go(answer: str | None) -> None:
            if not answer or not answer.strip():
                return
            if not answer.strip().isdigit():
                self.notify(f"“{answer.strip()}” is not a pair number.", severity="warning")
            elif not self._call(self.session.goto_number, int(answer.strip())):
                number = int(answer.strip())
                if self.session.filter.active and self.session.has_number(number):
                    self._offer_unfilter(number)
                else:
                    self.notify(f"There is no pair #{number}.", severity="warning")

        self.app.push_screen(PromptScreen("Go to pair number", "number", digits=True), go)

    def _offer_unfilter(self, number: int) -> None:
        def answer(clear: bool | None) -> None:
            if clear:
                self._call(self.session.set_filter, Filter())
                self._call(self.session.goto_number, number)

        described = visible(self.session.filter.describe(), one_line=True)
        self.app.push_screen(
            ConfirmScreen(
                f"Pair #{number} is hidden by the filter ({described}). "
                "Clear the filter and go to it?"
            ),
            answer,
        )

    def action_scroll_pair(self, lines: int) -> None:
        self.query_one(PairView).scroll_relative(y=lines, animate=False)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys typed after `q` still arrive while the app shuts down; a dialog opened then
        # would find its widgets gone (a NoMatches traceback), so after `q` no key acts.
        return not self._quitting

    def action_quit(self) -> None:
        self._quitting = True
        self.app.exit()


class CorrectionChecker:
    """Rescores corrections for the editor, on a worker thread: the check context and the
    other pairs' signed-off texts (for consistency) are loaded on first use, once."""

    def __init__(self, texts: Mapping[str, tuple[str, str, str | None]]) -> None:
        self._texts = dict(texts)  # a copy: the session may change its own after a save
        self._lock = threading.Lock()
        self._ctx: CheckContext | None = None
        self._peers: Peers | None = None

    def __call__(self, pair: Pair, text: str) -> CorrectionQA:
        from review.correction import Peers, check_correction
        from review.score import make_context

        with self._lock:  # one load even if two checks start together
            if self._ctx is None:
                self._ctx = make_context()
            if self._peers is None:
                self._peers = Peers(self._texts)
            ctx, peers = self._ctx, self._peers
        return check_correction(pair, text, ctx, peers.around(pair, text))


QA_DELAY = 0.3
"""Seconds of no typing before the correction is rescored."""


class EditScreen(ModalScreen[str | None]):
    """An editor prefilled with the Chinese, rescoring what is typed after each pause and
    showing the correction's own findings; dismisses with the new text, or None on cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "edit-qa--minor", "edit-qa--major", "edit-qa--critical", "edit-qa--dim"
    }  # fmt: skip

    def __init__(
        self, state: ReviewState, checker: Callable[[Pair, str], CorrectionQA] | None = None
    ) -> None:
        super().__init__()
        self.state = state
        self.checker = checker
        self.qa: CorrectionQA | None = None  # the findings of the text as last checked
        self._timer: Timer | None = None
        self._saving = False  # save once the check of the current text is back

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="edit"):
            yield Label(f"Correct the Chinese of pair #{self.state.number}", classes="title")
            with VerticalScroll(id="edit-en-box"):
                yield Static(Text(visible(self.state.pair.en)), id="edit-en")
            # The editor draws its text as it is: control characters go in as placeholders.
            yield TextArea(visible(self.state.final_zh), id="edit-zh", soft_wrap=True)
            with VerticalScroll(id="edit-qa-box"):
                yield Static(id="edit-qa")
            yield Label("ctrl+s save · escape cancel", classes="hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)  # most fixes end a sentence, or start from there
        area.focus()
        if self.checker is not None and self.state.correction is not None:
            self._check(self.typed())
        else:
            self._show_qa()

    def typed(self) -> str:
        """The correction as typed, as the store keeps it."""
        text = self.query_one(TextArea).text.strip()
        if text == visible(self.state.final_zh).strip():
            return self.state.final_zh.strip()  # unchanged: the text as it really is
        return text

    @on(TextArea.Changed)
    def changed(self) -> None:
        if self.checker is None:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(QA_DELAY, lambda: self._check(self.typed()))
        self.query_one("#edit-qa", Static).set_class(True, "-checking")

    def _check(self, text: str, *, save: bool = False) -> None:
        if text.strip() and text != self.state.pair.zh:
            self._run_check(text, save)
        else:
            self.qa = None
            self._show_qa()

    @work(thread=True, exclusive=True, group="correction-qa")
    def _run_check(self, text: str, save: bool) -> None:
        # Scoring takes ~10 ms, the first check loads the dictionary: never on the event loop.
        assert self.checker is not None
        self.post_message(CorrectionChecked(self.checker(self.state.pair, text), save))

    def on_correction_checked(self, message: CorrectionChecked) -> None:
        if message.qa.text != self.typed():
            return  # typed on since: the newer check is on its way
        self.qa = message.qa
        self._show_qa()
        if message.save and self._saving:
            self._saving = False
            self._save_checked(message.qa)

    def _show_qa(self) -> None:
        label = self.query_one("#edit-qa", Static)
        label.set_class(False, "-checking")
        style = self.get_component_rich_style
        qa = self.qa
        if self.checker is None:
            label.update("")
            return
        if qa is None:
            hint = "Type a correction: it is checked as you type."
            label.update(Text(hint, style("edit-qa--dim")))
            return
        fixed = ", ".join(dict.fromkeys(f.code for f in qa.fixed))
        fixed_line = Text(f"fixed: {visible(fixed, one_line=True)}", style("edit-qa--dim"))
        if not qa.findings:
            lines = [Text("The correction has no findings.")]
        else:
            lines = [Text(f"The correction has {len(qa.findings)} "
                          f"finding{'s' if len(qa.findings) != 1 else ''}:")]  # fmt: skip
            for finding in qa.findings:
                severity = finding.severity.value
                lines.append(
                    Text.assemble(
                        (f" {severity} ", style(f"edit-qa--{severity}")),
                        f" {visible(finding.code, one_line=True)}: ",
                        visible(qa.summary(finding)),
                    )
                )
        if fixed:
            lines.append(fixed_line)
        label.update(Text("\n").join(lines))

    def action_save(self) -> None:
        text = self.typed()
        if self.checker is None or not text or text == self.state.pair.zh:
            self.dismiss(text)
            return
        if self.qa is not None and self.qa.text == text:
            self._save_checked(self.qa)
            return
        if self._timer is not None:
            self._timer.stop()
        self._saving = True
        self.query_one("#edit-qa", Static).update(Text("Checking the correction before saving…"))
        self._check(text, save=True)

    def _save_checked(self, qa: CorrectionQA) -> None:
        worst = [f for f in qa.findings if f.severity is Severity.CRITICAL]
        if not worst:
            self.dismiss(qa.text)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.dismiss(qa.text)
            else:
                self.query_one(TextArea).focus()

        more = f" (and {len(worst) - 1} more)" if len(worst) > 1 else ""
        self.app.push_screen(
            ConfirmScreen(
                f"The correction still has a critical finding{more}: "
                f"{visible(qa.summary(worst[0]))} Save it anyway?"
            ),
            answer,
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


class PromptScreen(ModalScreen[str | None]):
    """A one-line question (comment, search, pair number); enter answers, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, title: str, placeholder: str, *, digits: bool = False, value: str = ""
    ) -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.digits = digits
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="prompt"):
            yield Label(self.title_text, classes="title")
            yield Input(
                self.value, placeholder=self.placeholder, type="integer" if self.digits else "text"
            )
            yield Label("enter confirm · escape cancel", classes="hint")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; y or enter on Yes confirms, n or escape declines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm"):
            yield Label(self.question, classes="title")
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", id="yes", variant="primary")
                yield Button("No (n)", id="no")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class MqmScreen(ModalScreen[tuple[str, Severity] | None]):
    """Pick an MQM category, then a severity; escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="mqm"):
            yield Label("MQM error category, then severity", classes="title")
            with Horizontal():
                yield OptionList(*MQM_CATEGORIES, id="mqm-category")
                yield OptionList(
                    *(Option(s.value, id=s.value) for s in Severity), id="mqm-severity"
                )
            yield Label("enter choose · tab switch · escape cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#mqm-category", OptionList).highlighted = 0
        self.query_one("#mqm-severity", OptionList).highlighted = 0

    @on(OptionList.OptionSelected, "#mqm-category")
    def category_chosen(self) -> None:
        self.query_one("#mqm-severity", OptionList).focus()

    @on(OptionList.OptionSelected, "#mqm-severity")
    def severity_chosen(self, event: OptionList.OptionSelected) -> None:
        category = self.query_one("#mqm-category", OptionList).highlighted
        if category is None:
            self.query_one("#mqm-category", OptionList).focus()
            return
        self.dismiss((MQM_CATEGORIES[category], Severity(str(event.option.id))))

    def action_cancel(self) -> None:
        self.dismiss(None)


class FilterScreen(ModalScreen[Filter | None]):
    """Edit the filter: statuses, minimum divergence, finding code, severity."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, current: Filter, codes: Sequence[tuple[str, int]] = ()) -> None:
        super().__init__()
        self.current = current
        self.codes = list(codes)  # the finding codes present, with how many pairs have each
        if current.code is not None and current.code not in dict(self.codes):
            self.codes.append((current.code, 0))

    def compose(self) -> ComposeResult:
        current = self.current
        with Vertical(id="dialog", classes="filter"):
            yield Label("Filter the pairs (nothing chosen = all)", classes="title")
            with Horizontal():
                with Vertical(classes="column"):
                    yield Label("Status (space toggles)")
                    yield SelectionList[Status](
                        *((s.value, s, s in current.statuses) for s in Status),
                        id="filter-status",
                    )
                with Vertical(classes="column"):
                    yield Label("Worst finding")
                    yield OptionList(
                        Option("any severity", id="any"),
                        *(Option(f"at least {s.value}", id=s.value) for s in Severity),
                        id="filter-severity",
                    )
                with Vertical(classes="column codes"):
                    yield Label("Finding code (pairs)")
                    yield OptionList(
                        Option("any code", id="any"),
                        *(Option(Text(f"{visible(code, one_line=True)} ({count})"), id=code)
                          for code, count in self.codes),
                        id="filter-code",
                    )  # fmt: skip
            yield Input(
                str(current.min_divergence) if current.min_divergence else "",
                placeholder="minimum divergence, 0 to 1",
                type="number",
                id="filter-divergence",
            )
            with Horizontal(classes="buttons"):
                yield Button("Apply (ctrl+s)", id="apply", variant="primary")
                yield Button("Clear", id="clear")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        options = ["any", *(s.value for s in Severity)]
        chosen = self.current.severity.value if self.current.severity else "any"
        self.query_one("#filter-severity", OptionList).highlighted = options.index(chosen)
        codes = ["any", *(code for code, _ in self.codes)]
        self.query_one("#filter-code", OptionList).highlighted = codes.index(
            self.current.code or "any"
        )
        self.query_one("#filter-status", SelectionList).focus()

    def _filter(self) -> Filter | None:
        raw = self.query_one("#filter-divergence", Input).value.strip()
        try:
            minimum = float(raw) if raw else 0.0
        except ValueError:
            minimum = -1.0
        if not 0.0 <= minimum <= 1.0:
            self.notify("The minimum divergence is a number from 0 to 1.", severity="warning")
            return None
        severity_list = self.query_one("#filter-severity", OptionList)
        index = severity_list.highlighted
        severity_id = severity_list.get_option_at_index(index).id if index is not None else "any"
        code_list = self.query_one("#filter-code", OptionList)
        at = code_list.highlighted
        code = str(code_list.get_option_at_index(at).id) if at is not None else "any"
        return Filter(
            statuses=frozenset(self.query_one("#filter-status", SelectionList).selected),
            min_divergence=minimum,
            code=None if code == "any" else code,
            severity=None if severity_id in (None, "any") else Severity(str(severity_id)),
            query=self.current.query,
        )

    def action_apply(self) -> None:
        new = self._filter()
        if new is not None:
            self.dismiss(new)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#apply")
    def apply_pressed(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#clear")
    def clear_pressed(self) -> None:
        self.dismiss(Filter())

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key, from the same table that makes the bindings; any of ? q escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        rows = [*LIST_KEYS, *((k.display or k.key, k.help) for k in KEYS if k.help)]
        width = max(cell_len(key) for key, _ in rows) + 2
        lines = "\n".join(set_cell_size(key, width) + text for key, text in rows)
        with Vertical(id="dialog", classes="help"):
            yield Label("Keys", classes="title")
            yield Static(lines, id="help-keys", markup=False)
            yield Label("? q escape close", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
