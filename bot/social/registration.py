"""Self-registration on the social map: the question-by-question dialog, with explicit consent at the end.

The dialog (`Registration`) keeps its progress in the conversation state; nothing is saved before the user has
seen the summary and given explicit consent. "stop" or "annuleer" ends it at any step. A clear question typed at
a step is answered by the core, which then asks the step again (`ask_again`); something phrased as a question
that could still be a name, organisation, role, topic or area is only taken after the user confirms it ("Bedoel
je … als je naam?"). The texts and steps here are shared by the rest of the social map's dialogs (own_data.py)
and the form (forms.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.language.dutch import fold, looks_like_question, read_yes_no
from bot.messages import Option, Reply
from bot.social.access import not_a_ketenpartner
from bot.social.partner import FIELD_LABELS, REQUIRED_FIELDS, EmailTaken, FieldError, Partner, clean_field
from bot.state import Dialog

if TYPE_CHECKING:
    from bot.services import Services
    from bot.state import Turn

REGISTER_FORM = "register"
STEPS = ("name", "organisation", "role", "topics", "region", "email", "phone", "note")
CONSENT_TEXT = (
    "Ik geef toestemming om mijn naam, organisatie, functie, onderwerpen, werkgebied, e-mailadres, "
    "telefoonnummer en notitie op de sociale kaart van ketenbot te tonen aan andere ketenpartners. "
    "Ik kan mijn gegevens altijd inzien, laten wijzigen of laten verwijderen."
)
PROMPTS = {
    "name": "Wat is je naam?",
    "organisation": "Bij welke organisatie werk je?",
    "role": "Wat is je functie of rol? (bijvoorbeeld schuldhulpverlener, wijkcoach)",
    "topics": "Over welke onderwerpen mogen collega's je benaderen? Scheid ze met een puntkomma, bijvoorbeeld: schuldhulpverlening; jongeren; budgetcoaching",
    "region": "Wat is je werkgebied? (gemeente of regio, bijvoorbeeld Zeist of regio Utrecht)",
    "email": "Op welk e-mailadres ben je bereikbaar?",
    "phone": "Op welk telefoonnummer ben je bereikbaar?",
    "note": "Wil je nog iets toevoegen, zoals je werkdagen of spreekuur?",
}
SKIP_HINT = "(typ '-' om over te slaan)"
MEANT_AS_ANSWER = "Bedoel je '{text}' als je {label}? Typ 'ja' om het zo te bewaren, of typ je {label}."
BACK_TO_REGISTRATION = "Dan verder met je aanmelding."
WAS_IT_THE_ANSWER = "Was '{text}' toch je {label}? Typ dan 'ja'."
KEEP_HINT = "(nu: {value}; typ 'ok' om dit te houden)"
START_NEW = "Fijn dat je op de sociale kaart wilt! Ik vraag je gegevens één voor één. Typ 'stop' om te stoppen; er wordt dan niets bewaard."
START_UPDATE = "Je staat al op de sociale kaart. We lopen je gegevens samen langs; typ 'ok' om een waarde te houden of 'stop' om te stoppen."
TRY_AGAIN = "Probeer het nog eens, of typ 'stop' om te stoppen."
NEED_CONTACT = "Vul minstens een e-mailadres of een telefoonnummer in, anders kan niemand je bereiken."
SUMMARY_INTRO = "Dit komt op de sociale kaart:"
CONSENT_QUESTION = "Geef je toestemming om deze gegevens te publiceren? Typ 'ja' of 'nee'.\n\nToestemming: {consent}"
YES_NO = "Typ 'ja' of 'nee'."
SAVED_NEW = "Dank je! Je staat nu op de sociale kaart. Typ 'mijn gegevens' om ze te bekijken of te wijzigen."
SAVED_WAITING = (
    "Dank je! Je aanmelding is bewaard en wacht op goedkeuring van de ketenregisseur; tot dan vinden andere"
    " ketenpartners je niet op de kaart. Je krijgt hier bericht zodra er besloten is."
)
SAVED_UPDATE = "Je gegevens op de sociale kaart zijn bijgewerkt."
EMAIL_TAKEN = (
    "Dit e-mailadres staat al op de sociale kaart, bij een aanmelding die niet aan jouw account gekoppeld is. "
    "Ketenbot kan niet controleren dat dit e-mailadres van jou is, dus ik heb niets bewaard. "
    "Is het toch jouw aanmelding? Sta je er al op via een ander platform, typ daar dan 'koppel' voor een koppelcode. "
    "Anders kan de beheerder van ketenbot in je organisatie je account eraan koppelen. "
    "Je kunt ook een ander e-mailadres opgeven."
)
NOT_SAVED = "Prima, ik heb niets bewaard."
STOPPED = "Gestopt. Er is niets bewaard."
NOT_REGISTERED = "Je staat nog niet op de sociale kaart. Typ 'aanmelden' om je aan te melden."

_KEEP = re.compile(r"^(ok|oke|okay|houden|zo laten|klopt)$")
_SKIP_MARKS = frozenset("- -- – —".split())
_SKIP = re.compile(r"^(geen|nvt|n v t|overslaan|sla over|leeg)$")
_STOP = re.compile(r"^(stop|stoppen|annuleer|annuleren|afbreken|cancel|laat maar)$")
# Steps whose answer names something; a question-like text there is only stored once confirmed.
NAMING_STEPS = ("name", "organisation", "role", "topics", "region")
YES_NO_OPTIONS = (Option("Ja", "ja", numbered=False), Option("Nee", "nee", numbered=False))


def is_skip(text: str) -> bool:
    """Only a skip word or a dash skips: Arabic, an emoji or "?" folds to nothing but is an answer."""
    stripped = text.strip()
    return stripped in _SKIP_MARKS or bool(_SKIP.match(fold(stripped)))


def is_stop(folded: str) -> bool:
    """ "stop", "annuleer", "laat maar": the end of any dialog about one's own data."""
    return bool(_STOP.match(folded))


def _is_keep(text: str) -> bool:
    return text.strip() == "=" or bool(_KEEP.match(fold(text)))


def reply(text: str, *, options: tuple[Option, ...] = (), intent: str = "register") -> Reply:
    return Reply(text=text, options=options, intent=intent, score=1.0)


def _prompt(step: str, draft: dict[str, Any], existing: bool) -> str:
    text = PROMPTS[step]
    current = draft.get(step)
    if existing and current:
        return f"{text} {KEEP_HINT.format(value='; '.join(current) if isinstance(current, list) else current)}"
    if step not in REQUIRED_FIELDS:
        return f"{text} {SKIP_HINT}"
    return text


def saved_new(services: Services) -> str:
    """What a new registrant hears: on the map now, or (KETENBOT_MAP_APPROVAL=1) waiting for approval."""
    return SAVED_WAITING if services.map_approval else SAVED_NEW


def summary(draft: dict[str, Any]) -> str:
    lines = []
    for name in STEPS:
        value = draft.get(name)
        shown = "; ".join(value) if isinstance(value, list) else value
        if shown:
            lines.append(f"- {FIELD_LABELS[name].capitalize()}: {shown}")
    return "\n".join(lines)


def partner_draft(partner: Partner) -> dict[str, Any]:
    return {name: list(partner.topics) if name == "topics" else partner.value(name) for name in STEPS}


def email_taken(identity: str, email: str, services: Services) -> bool:
    """The e-mail belongs to an entry this chat identity does not own (imported, or someone else's)."""
    owner = services.partners.by_email(email)
    return bool(owner and identity not in owner.identities)


def start(turn: Turn) -> Reply:
    """Begin registering, or walk an existing entry through again; only a ketenpartner may register."""
    existing = turn.sender.partner
    if existing is None and not turn.sender.is_ketenpartner:
        return not_a_ketenpartner("register")
    draft = partner_draft(existing) if existing else {"name": turn.msg.user_name or ""}
    turn.state.dialog = Registration(step=STEPS[0], draft=draft, existing=existing is not None)
    intro = START_UPDATE if existing else START_NEW
    prompt = _prompt(STEPS[0], draft, existing is not None or bool(draft["name"]))
    return Reply(text=f"{intro}\n\n{prompt}", intent="register", score=1.0, form=REGISTER_FORM)


def _could_be_the_answer(step: str, text: str) -> bool:
    if step not in NAMING_STEPS:
        return False
    try:
        clean_field(step, text)
    except FieldError:
        return False
    return True


def _consent_question(draft: dict[str, Any]) -> Reply:
    return reply(f"{SUMMARY_INTRO}\n{summary(draft)}\n\n{CONSENT_QUESTION.format(consent=CONSENT_TEXT)}", options=YES_NO_OPTIONS)


@dataclass
class Registration(Dialog):
    """Registering step by step: the draft so far, and an answer phrased as a question kept aside (`maybe`)."""

    kind = "register"
    open_to_questions = True

    step: str
    draft: dict[str, Any] = field(default_factory=dict)
    existing: bool = False
    maybe: str | None = None

    def to_data(self) -> dict[str, Any]:
        data = {"kind": self.kind, "step": self.step, "draft": self.draft, "existing": self.existing}
        return data | ({"maybe": self.maybe} if self.maybe is not None else {})

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Registration:
        step = data["step"]
        if step not in (*STEPS, "consent") or not isinstance(data["draft"], dict):
            raise ValueError(f"no registration step {step!r}")
        return cls(step=step, draft=data["draft"], existing=bool(data["existing"]), maybe=data.get("maybe"))

    def proceed(self, turn: Turn) -> tuple[Reply, Dialog | None]:
        text = (turn.msg.action or turn.msg.text).strip()
        folded = fold(text)
        if is_stop(folded):
            return reply(STOPPED), None
        if self.step == "consent":
            return self._answer_consent(turn, folded)
        return self._answer_or_confirm(text, folded), self

    def _step_prompt(self) -> str:
        return _prompt(self.step, self.draft, self.existing or bool(self.draft.get(self.step)))

    def ask_again(self, text: str) -> Reply:
        """The current step again, after the core answered a question typed there. When the question could
        also be this step's answer, "ja" takes it after all."""
        if self.step == "consent":
            return _consent_question(self.draft)
        lines = [BACK_TO_REGISTRATION, self._step_prompt()]
        if _could_be_the_answer(self.step, text):
            self.maybe = text.strip()
            lines.append(WAS_IT_THE_ANSWER.format(text=text.strip(), label=FIELD_LABELS[self.step]))
        return reply("\n\n".join(lines))

    def _answer_or_confirm(self, text: str, folded: str) -> Reply:
        """A step's answer; one phrased as a question is kept aside until the user says it is meant."""
        maybe, self.maybe = self.maybe, None
        confirmed = read_yes_no(folded) if maybe is not None else None
        if confirmed is not None:
            return self._answer_step(maybe) if confirmed else reply(self._step_prompt())  # type: ignore[arg-type]
        if looks_like_question(text) and _could_be_the_answer(self.step, text):
            self.maybe = text
            return reply(MEANT_AS_ANSWER.format(text=text, label=FIELD_LABELS[self.step]), options=YES_NO_OPTIONS)
        return self._answer_step(text)

    def _answer_step(self, text: str) -> Reply:
        step, draft = self.step, self.draft
        if _is_keep(text) and (draft.get(step) or step not in REQUIRED_FIELDS):
            value: Any = draft.get(step) or ""
        else:
            try:
                cleaned = clean_field(step, "" if is_skip(text) else text)
            except FieldError as error:
                return reply(f"{error} {TRY_AGAIN}\n\n{_prompt(step, draft, self.existing)}")
            value = list(cleaned) if isinstance(cleaned, tuple) else cleaned
        draft[step] = value
        if step == "phone" and not draft.get("email") and not draft.get("phone"):
            self.step = "email"
            return reply(f"{NEED_CONTACT}\n\n{_prompt('email', draft, self.existing)}")
        following = STEPS.index(step) + 1
        if following < len(STEPS):
            self.step = STEPS[following]
            return reply(self._step_prompt())
        self.step = "consent"
        return _consent_question(draft)

    def _answer_consent(self, turn: Turn, folded: str) -> tuple[Reply, Dialog | None]:
        answer = read_yes_no(folded)
        if answer is False:
            return reply(NOT_SAVED), None
        if answer is None:
            return reply(YES_NO, options=YES_NO_OPTIONS), self
        draft = self.draft
        if email_taken(turn.identity, draft.get("email", ""), turn.services):
            self.step = "email"
            return reply(f"{EMAIL_TAKEN}\n\n{_prompt('email', draft, False)}"), self
        partner = Partner(
            name=draft["name"],
            organisation=draft["organisation"],
            role=draft.get("role", ""),
            topics=tuple(draft["topics"]),
            region=draft.get("region", ""),
            email=draft.get("email", ""),
            phone=draft.get("phone", ""),
            note=draft.get("note", ""),
            identities=(turn.identity,),
        )
        closed = turn.state.to_data(with_dialog=False)
        try:
            # Published and the dialog closed in one transaction: a crash in between cannot leave the entry live
            # while the dialog still waits for consent.
            turn.services.partners.save(
                partner, consent_text=CONSENT_TEXT, conversation=(turn.msg.conversation_key, closed),
                waiting=turn.services.map_approval,
            )
        except EmailTaken:
            self.step = "email"
            return reply(f"{EMAIL_TAKEN}\n\n{_prompt('email', draft, False)}"), self
        return reply(SAVED_UPDATE if self.existing else saved_new(turn.services)), None
