"""A case kind as data: its states, steps, board columns, clocks and who sees what.

Every kind of the city document (domain.md §3) is one ``KindSpec``; the engine
(``hub.domain.engine``), visibility, the board, alerts and the GraphQL layer read specs and
never ask which kind they hold. Pure: no I/O, no framework.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from hub.domain.roles import Role, Side


class CaseKind(StrEnum):
    RECOMMENDATION = "recommendation"  # 检察建议 (K2)
    PIL_CASE = "pil_case"  # 行政公益诉讼案件 (K1)
    DISPUTE = "dispute"  # 行政争议实质性化解 (K3)
    MEETING = "meeting"  # 联席会议及其他会议 (§5.8)
    RESOLUTION = "resolution"  # 会议议定事项 (§5.8)
    TASK_MEASURE = "task_measure"  # 年度重点工作任务清单的一项措施 (§5.9)
    NOTIFICATION = "notification"  # 通报事项 (§5.7)
    CONSULTATION = "consultation"  # 会商 / 咨询 (§5.6)
    LEAD_TRANSFER = "lead_transfer"  # 线索移送 (§5.5)
    RECONSIDERATION = "reconsideration"  # 行政复议陪议 / 旁听 (§5.4)
    SPECIAL_ACTION = "special_action"  # 专项行动
    TRAINING = "training"  # 交流培训


class KindGroup(StrEnum):
    """Where a kind sits in the board's navigation: a case handled on a statutory clock, or a
    work item of the linkage mechanism (meetings, notices, transfers, trainings …)."""

    CASE = "case"  # 案件
    MECHANISM = "mechanism"  # 工作机制


KIND_GROUP_LABELS: Mapping[KindGroup, str] = MappingProxyType(
    {KindGroup.CASE: "案件", KindGroup.MECHANISM: "工作机制"}
)


class PartyRole(StrEnum):
    """How a unit (or one person of it) takes part in a case (``case_party.role``)."""

    ISSUER = "issuer"  # the procuratorate that issues or handles the case
    ADDRESSEE = "addressee"  # the agency a recommendation is addressed to, or a PIL case concerns
    RESPONDENT = "respondent"  # the agency whose act a dispute is about
    HANDLING_PROSECUTOR = "handling_prosecutor"  # a person: the prosecutor handling the case
    COPIED = "copied"  # 抄送: read-only
    LEAD = "lead"  # 牵头单位: the unit that leads a task, a resolution or an action
    RESPONSIBLE = "responsible"  # 责任单位 / 配合单位: units that carry out and report
    RECIPIENT = "recipient"  # 接收单位: a unit an item, a transfer or a question is sent to
    PARTICIPANT = "participant"  # 参加单位: attendees, participating units, trainees
    HANDLER = "handler"  # a person: who handles the case for its issuing unit (承办人)
    # A unit that has done its own part of a step every unit of a role takes once (签收 a
    # notification, 答复 a consultation): ``Transition.unless_party`` keeps it from repeating.
    RESPONDED = "responded"
    OFFICE = "office"  # not stored: the Linkage Office, in whichever unit it sits


PARTY_LABELS: Mapping[PartyRole, str] = MappingProxyType(
    {
        PartyRole.ISSUER: "承办检察院",
        PartyRole.ADDRESSEE: "被建议单位",
        PartyRole.RESPONDENT: "被申请行政机关",
        PartyRole.HANDLING_PROSECUTOR: "承办检察官",
        PartyRole.COPIED: "抄送单位",
        PartyRole.LEAD: "牵头单位",
        PartyRole.RESPONSIBLE: "责任单位",
        PartyRole.RECIPIENT: "接收单位",
        PartyRole.PARTICIPANT: "参加单位",
        PartyRole.HANDLER: "承办人",
        PartyRole.RESPONDED: "已办理单位",
        PartyRole.OFFICE: "府检联动办公室",
    }
)

# Parties that name one person: a step reserved for them depends on who the viewer is.
PERSON_PARTIES = frozenset({PartyRole.HANDLING_PROSECUTOR, PartyRole.HANDLER})


class ClockOp(StrEnum):
    SUSPEND = "suspend"  # 中止: the clock stops running, with a reason and an approver
    RESUME = "resume"  # the clock runs again; its due date moves by the pause
    EXTEND = "extend"  # 延长: the due date moves by an approved period


class FieldType(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    DATE = "date"
    DATETIME = "datetime"
    NUMBER = "number"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    SELECT = "select"
    MULTISELECT = "multiselect"
    UNIT = "unit"  # a unit (of the field's ``unit_scope``)
    UNITS = "units"  # one or more units (of the field's ``unit_scope``)
    RULE = "rule"  # a deadline rule of the clock the step starts
    PERIOD = "period"  # a custom period: amount and unit
    LIST = "list"  # one or more rows, each an input object with the field's ``fields``
    USER = "user"  # a person (of the field's ``user_scope``), chosen from the form's options


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


EnumType = type[StrEnum]  # (``FormField.type`` shadows ``type`` inside the class)


class UnitScope(StrEnum):
    """Which units a UNIT / UNITS field offers."""

    GOVERNMENT = "government"  # the government side: the city government and member units
    ANY = "any"  # every unit, the procuratorate included


# The most users one USER field offers (a procuratorate's prosecutors are some dozens); the
# cost model sizes a form's options by it.
USER_OPTIONS_MAX = 100


@dataclass(frozen=True, slots=True)
class UserScope:
    """Which users a USER field offers: the active users of the acting user's own unit who
    hold one of ``roles`` (the chief assigns one of the procuratorate's prosecutors). The form
    lists them as its options and the step accepts no one else."""

    roles: frozenset[Role]

    def __post_init__(self) -> None:
        if not self.roles:
            raise ValueError("a user scope names at least one role")


@dataclass(frozen=True, slots=True)
class FormField:
    """One input of a step's form. ``name`` is the GraphQL input field name.

    A SELECT / MULTISELECT field with ``enum`` is typed as that enum in generated inputs
    (``hub.schema.form_steps``); its options are the enum's values with their labels. A USER
    field's options are not in the spec: they are the users its ``user_scope`` gives the actor.
    """

    name: str
    label: str
    type: FieldType = FieldType.TEXT
    required: bool = False
    options: tuple[Option, ...] = ()
    clock: str | None = None  # for RULE fields: the clock whose rules are offered
    help: str = ""
    max_length: int | None = None
    fields: tuple[FormField, ...] = ()  # for LIST fields: the inputs of one row
    enum: EnumType | None = None  # SELECT / MULTISELECT: the enum its values belong to
    unit_scope: UnitScope = UnitScope.GOVERNMENT  # UNIT / UNITS: which units are offered
    min_value: int | None = None  # NUMBER / INTEGER: the smallest value allowed
    max_value: int | None = None  # NUMBER / INTEGER: the largest value allowed
    user_scope: UserScope | None = None  # USER: whose users are offered (required for USER)

    def __post_init__(self) -> None:
        if (self.type is FieldType.USER) != (self.user_scope is not None):
            raise ValueError(f"{self.name}: a USER field, and only one, has a user_scope")


def choice(
    name: str,
    label: str,
    enum: type[StrEnum],
    labels: Mapping[str, str],
    *,
    multiple: bool = False,
    required: bool = True,
    help: str = "",
) -> FormField:
    """A SELECT (or MULTISELECT) field over ``enum``, its options labelled by ``labels``."""
    missing = {e.value for e in enum} - set(labels)
    if missing:
        raise ValueError(f"{enum.__name__}: no label for {sorted(missing)}")
    kind = FieldType.MULTISELECT if multiple else FieldType.SELECT
    opts = tuple(Option(e.value, labels[e.value]) for e in enum)
    return FormField(name, label, kind, required, opts, help=help, enum=enum)


def user_choice(
    name: str, label: str, roles: Iterable[Role], *, required: bool = True, help: str = ""
) -> FormField:
    """A USER field: one of the active users of the actor's own unit holding one of ``roles``."""
    scope = UserScope(frozenset(roles))
    return FormField(name, label, FieldType.USER, required, help=help, user_scope=scope)


@dataclass(frozen=True, slots=True)
class Form:
    """What a step needs: the mutation that takes it and the fields of its input."""

    mutation: str
    input_type: str
    fields: tuple[FormField, ...] = ()
    fixed: tuple[tuple[str, str], ...] = ()  # input values the action implies, e.g. a decision


COMMENT = FormField("comment", "说明", FieldType.TEXTAREA, max_length=2000)
TAKE_STEP = Form("takeStep", "TakeStepInput", (COMMENT,))


def options(labels: Mapping[str, str]) -> tuple[Option, ...]:
    """Options from an enum-value → label mapping, in its order."""
    return tuple(Option(value, label) for value, label in labels.items())


@dataclass(frozen=True, slots=True)
class Transition:
    """One row of a kind's table: who may take ``action`` from ``sources`` and what it does."""

    action: str
    sources: frozenset[str]
    target: str | None  # None: recorded, the state stays
    party: PartyRole
    roles: frozenset[Role]
    label: str
    needs_overdue: str | None = None  # a clock that must be overdue
    when: frozenset[str] = frozenset()  # case flags that must all be set
    unless: frozenset[str] = frozenset()  # case flags that must all be unset
    starts: tuple[str, ...] = ()  # clocks started by this step
    stops: tuple[str, ...] = ()  # clocks stopped by this step
    clock_op: ClockOp | None = None
    clock: str | None = None  # the clock ``clock_op`` acts on
    internal: bool = False  # hidden from the other side's event stream
    sets: frozenset[str] = frozenset()  # case flags this step sets
    form: Form = TAKE_STEP
    # A unit already holding this party role in the case may not take the step (each
    # recipient acknowledges once: its handler adds the unit as ``PartyRole.RESPONDED``).
    unless_party: PartyRole | None = None
    # States the step's handler may move the case to instead of ``target``, when the outcome
    # depends on its data (``StepContext.moves_to``: the last recipient acknowledges).
    outcomes: frozenset[str] = frozenset()
    # May be taken on many cases at once (``takeSteps``); its form may ask for one text at most,
    # which the batch's comment fills (hub.services.bulk).
    bulk: bool = False


def step(
    action: str,
    sources: Iterable[str],
    target: str | None,
    party: PartyRole,
    roles: Iterable[Role],
    label: str,
    **options: object,
) -> Transition:
    """A transition with sources and roles given as any iterable."""
    return Transition(action, frozenset(sources), target, party, frozenset(roles), label, **options)  # type: ignore[arg-type]


def steps_by(
    action: str,
    sources: Iterable[str],
    target: str | None,
    by: Iterable[tuple[PartyRole, Iterable[Role]]],
    label: str,
    **options: object,
) -> tuple[Transition, ...]:
    """The same step for several parties, one row each: ``by`` pairs a party with the roles
    that act for it, e.g. ``((PartyRole.ISSUER, UNIT_STAFF), (PartyRole.OFFICE, OFFICE_STAFF))``."""
    rows = tuple(sources)
    return tuple(step(action, rows, target, party, roles, label, **options) for party, roles in by)


@dataclass(frozen=True, slots=True)
class Column:
    """A board column. With ``overdue_clock`` it takes the cards of ``states`` whose clock is
    overdue; the state columns then keep only the others."""

    id: str
    label: str
    states: frozenset[str]
    overdue_clock: str | None = None
    collapsed: bool = False


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The deadline rules a clock offers when the case has ``flag`` (None: otherwise)."""

    flag: str | None
    rules: tuple[str, ...]


class RecipientRole(StrEnum):
    """How an alert's recipient relates to the case (stored as ``outbox_email.recipient_role``)."""

    LIAISON = "liaison"  # a liaison officer (联络员) of a unit party
    PROSECUTOR = "prosecutor"  # the person holding a person party: the handling prosecutor
    OFFICE = "office"  # an admin of the Linkage Office (府检联动办公室), party of no case
    APPROVER = "approver"  # an approver (检察长) of a unit party


@dataclass(frozen=True, slots=True)
class AlertRecipient:
    """Who receives an alert, said in the case's parties, so a kind never names a person.

    LIAISON / APPROVER: the unit liaisons / procurator approvers of every unit holding one of
    ``parties`` in the case; PROSECUTOR: the person holding one of ``parties``; OFFICE: the
    Linkage Office (no parties). ``label`` is the relation the email's last line names ("您是该
    检察建议的…"); empty: "<party label>联络员", the party's label, "检察长", "府检联动办公室".
    Build them with the class methods: ``AlertRecipient.liaisons(PartyRole.ADDRESSEE)``.
    """

    role: RecipientRole
    parties: tuple[PartyRole, ...] = ()
    label: str = ""

    def __post_init__(self) -> None:
        person = all(p in PERSON_PARTIES for p in self.parties)
        units = not any(p in PERSON_PARTIES or p is PartyRole.OFFICE for p in self.parties)
        valid = {
            RecipientRole.LIAISON: bool(self.parties) and units,
            RecipientRole.APPROVER: bool(self.parties) and units,
            RecipientRole.PROSECUTOR: bool(self.parties) and person,
            RecipientRole.OFFICE: not self.parties,
        }[self.role]
        if not valid:
            raise ValueError(f"alert recipient {self.role.value} cannot be of {self.parties}")

    @classmethod
    def liaisons(cls, *parties: PartyRole, label: str = "") -> AlertRecipient:
        return cls(RecipientRole.LIAISON, parties, label)

    @classmethod
    def person(cls, party: PartyRole = PartyRole.HANDLING_PROSECUTOR) -> AlertRecipient:
        return cls(RecipientRole.PROSECUTOR, (party,))

    @classmethod
    def office(cls) -> AlertRecipient:
        return cls(RecipientRole.OFFICE)

    @classmethod
    def approvers(cls, *parties: PartyRole, label: str = "") -> AlertRecipient:
        return cls(RecipientRole.APPROVER, parties, label)


@dataclass(frozen=True, slots=True)
class AlertWording:
    """An alert email's subject per level and its opening sentence, as ``str.format``
    templates: ``{kind}`` (the kind's label), ``{clock}`` (the clock's label), ``{case_no}``,
    and in the sentences ``{days}`` (days left, or days past the last day)."""

    due_soon_subject: str
    overdue_subject: str
    escalation_subject: str
    due_today: str
    due_in: str
    overdue: str
    escalation: str


# Plain deadline wording for any clock: "【府检联动】行政公益诉讼案件立案决定书送达期限即将届满：…".
DEADLINE_WORDING = AlertWording(
    due_soon_subject="【府检联动】{kind}{clock}即将届满：{case_no}",
    overdue_subject="【府检联动】{kind}{clock}已逾期：{case_no}",
    escalation_subject="【府检联动】{kind}{clock}逾期，提请督办：{case_no}",
    due_today="{clock}于今日届满，请于今日内办理。",
    due_in="距{clock}届满还有{days}日，请按期办理。",
    overdue="{clock}已过，已逾期{days}日。",
    escalation="{clock}已过{days}日，现提请督办。",
)
# The recommendation's reply clock: the agency owes a written rectification reply.
REPLY_WORDING = AlertWording(
    due_soon_subject="【府检联动】{kind}回复即将到期：{case_no}",
    overdue_subject="【府检联动】{kind}回复已逾期：{case_no}",
    escalation_subject="【府检联动】{kind}逾期未回复，提请督办：{case_no}",
    due_today="{clock}为今日，请于今日内提交书面整改回复。",
    due_in="距{clock}还有{days}日，请按期提交书面整改回复。",
    overdue="{clock}已过，已逾期{days}日，尚未收到书面整改回复。",
    escalation="{clock}已过{days}日，仍未收到书面整改回复，现提请府检联动办公室和检察长督办。",
)


@dataclass(frozen=True, slots=True)
class AlertPolicy:
    """When a running clock alerts by email, whom, and in what words (pure data).

    With ``d`` = days from today to the clock's last day, a clock is at most at one level a
    day: DUE_SOON for ``0 <= d <= due_soon_days`` (None: no reminder), OVERDUE from the day
    after the last day, ESCALATION from ``escalate_after_days`` days after it (None: it stays
    OVERDUE). DUE_SOON and OVERDUE go to ``recipients``; ESCALATION to them and to
    ``escalation_recipients``. Each level is sent once per clock version, one email per
    address. A clock alerts only while it counts (running, in its ``runs_in`` states).

    The defaults are the recommendation reply clock's policy (its spec says ``AlertPolicy()``):
    the addressee's liaisons and the handling prosecutor 3 days before and when overdue, plus
    the Linkage Office and the issuing procuratorate's approvers after 7 days. Any other clock
    declares its own, e.g. the handling prosecutor only, no escalation::

        AlertPolicy(
            recipients=(AlertRecipient.person(PartyRole.HANDLING_PROSECUTOR),),
            escalate_after_days=None,
            escalation_recipients=(),
            wording=DEADLINE_WORDING,
        )
    """

    due_soon_days: int | None = 3
    escalate_after_days: int | None = 7
    recipients: tuple[AlertRecipient, ...] = (
        AlertRecipient.liaisons(PartyRole.ADDRESSEE, PartyRole.RESPONDENT),
        AlertRecipient.person(PartyRole.HANDLING_PROSECUTOR),
    )
    escalation_recipients: tuple[AlertRecipient, ...] = (
        AlertRecipient.office(),
        AlertRecipient.approvers(PartyRole.ISSUER),
    )
    wording: AlertWording = REPLY_WORDING

    def __post_init__(self) -> None:
        if self.due_soon_days is not None and self.due_soon_days < 0:
            raise ValueError("due_soon_days must be 0 (the last day) or more")
        if self.escalate_after_days is not None and self.escalate_after_days < 1:
            raise ValueError("escalate_after_days must be 1 or more")
        if self.escalate_after_days is None and self.escalation_recipients:
            raise ValueError("escalation_recipients without escalate_after_days")


@dataclass(frozen=True, slots=True)
class ClockSpec:
    name: str
    label: str  # e.g. 回复期限
    start_label: str  # the word for the start in explanations: 送达, 立案, 受理
    rule_sets: tuple[RuleSet, ...]
    default_rule: str
    alert: AlertPolicy | None = None
    suspendable: bool = False
    extendable: bool = False
    due_soon_days: int = 7  # the board's yellow chip
    # The states in which a started clock counts (None: all until stopped): the reply clock
    # pauses while an objection is reviewed and after the reply is in.
    runs_in: frozenset[str] | None = None

    def rules_for(self, flags: frozenset[str]) -> tuple[str, ...]:
        for rule_set in self.rule_sets:
            if rule_set.flag is None or rule_set.flag in flags:
                return rule_set.rules
        return ()


# Steps every kind has outside its table, from the engine (hub.domain.comments): a comment
# on the case and its retraction. They change nothing of the case, not even its version.
COMMENT_STEP = "comment"
RETRACT_COMMENT_STEP = "retract_comment"
# Labels of the steps every kind has outside its table (a kind's action_labels may reword
# them); no kind's table may use these names for a step of its own.
GENERIC_ACTION_LABELS: Mapping[str, str] = MappingProxyType(
    {"create": "新建", "update": "修改草稿", COMMENT_STEP: "评论", RETRACT_COMMENT_STEP: "撤回评论"}
)

ALL_STATES: frozenset[str] | None = None  # a ``sees`` entry that shows every state


@dataclass(frozen=True, slots=True)
class Lanes:
    """Swimlanes of a kind's board: the cards of each column grouped under these headings, in
    this order (a task list's 5 categories). The kind's view names a card's lane
    (``CaseView.lane_of``); ``label`` says what the lanes are (任务类别). With ``switch`` the
    board offers grouping by them (its wording, 按类别分组) or not (``UNGROUPED``)."""

    label: str
    labels: Mapping[str, str]  # lane id → heading, in board order
    switch: str = ""  # the board's option to group by these lanes; "": always grouped


UNGROUPED = "不分组"  # the board's option beside a ``Lanes.switch``


@dataclass(frozen=True)
class KindSpec:
    kind: CaseKind
    label: str  # 检察建议
    graphql_type: str  # the GraphQL object type implementing Case
    states: Mapping[str, str]  # state id → Chinese label, in lifecycle order
    initial: str
    closed: frozenset[str]
    transitions: tuple[Transition, ...]
    columns: tuple[Column, ...]
    clocks: tuple[ClockSpec, ...] = ()
    # Which party may see the case in which states (ALL_STATES: every state). The Linkage
    # Office sees every case; nobody else sees a case without a row here.
    sees: Mapping[PartyRole, frozenset[str] | None] = field(default_factory=dict)
    internal_fields: frozenset[str] = frozenset()  # redacted for the government side
    draft_states: frozenset[str] = frozenset()  # states in which the author may edit the case
    case_no_label: str = "文号"
    case_no_field: str = "caseNo"  # the create input's field that carries the case number
    create_roles: frozenset[Role] = frozenset({Role.PROSECUTOR})  # who may open a case
    # Which sides' users of ``create_roles`` may open one (a notification item or a
    # consultation may come from a member unit: its unit is then the issuer party).
    create_sides: frozenset[Side] = frozenset({Side.PROCURATORATE})
    create_form: Form | None = None  # the fields of the kind's create (and draft-edit) form
    # The person party the author of a new case takes (None: the unit alone is the issuer).
    author_person: PartyRole | None = PartyRole.HANDLING_PROSECUTOR
    party_labels: Mapping[PartyRole, str] = field(default_factory=dict)  # this kind's wording
    action_labels: Mapping[str, str] = field(default_factory=dict)  # extra event labels
    lanes: Lanes | None = None  # the board's swimlanes (None: none)
    # Whether the create event is internal (a draft the government side does not see arrive);
    # False for a kind whose parties should see a new case arrive live (a task-list measure).
    create_internal: bool = True
    group: KindGroup = KindGroup.MECHANISM  # the navigation group the kind's tab sits in

    def __post_init__(self) -> None:
        taken = {t.action for t in self.transitions} & set(GENERIC_ACTION_LABELS)
        if taken:
            raise ValueError(f"{self.kind}: {sorted(taken)} are steps every kind has")

    def clock(self, name: str) -> ClockSpec:
        for clock in self.clocks:
            if clock.name == name:
                return clock
        raise KeyError(f"{self.kind}: no clock {name!r}")

    def column(self, column_id: str) -> Column:
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(f"{self.kind}: no column {column_id!r}")

    def party_label(self, role: PartyRole) -> str:
        return self.party_labels.get(role) or PARTY_LABELS[role]

    def state_label(self, state: str) -> str:
        return self.states.get(state, state)

    def action_label(self, action: str) -> str:
        for t in self.transitions:
            if t.action == action:
                return t.label
        return self.action_labels.get(action) or GENERIC_ACTION_LABELS.get(action, action)

    def transition_for(self, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action), None)
