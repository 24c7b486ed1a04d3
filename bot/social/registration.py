"""Self-registration on the social map, and a partner's own data (AVG): see, correct, confirm, delete.

A dialog keeps its progress in the conversation state under "dialog"; nothing is saved before the
user has seen the summary and given explicit consent. "stop" or "annuleer" ends it at any step.
A clear question typed at a step is answered by the core, which then asks the step again (`ask_again`);
something phrased as a question that could still be a name, organisation, role, topic or area is only
taken after the user confirms it ("Bedoel je … als je naam?").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bot.language.dutch import fold, looks_like_question, read_yes_no
from bot.messages import Incoming, Option, Reply
from bot.social.access import NOT_A_KETENPARTNER, Redeemed, is_ketenpartner, not_a_ketenpartner
from bot.social.partner import (
    FIELD_LABELS,
    REQUIRED_FIELDS,
    EmailTaken,
    FieldError,
    Partner,
    clean_field,
    dutch_date,
)

if TYPE_CHECKING:
    from bot.services import Services

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
OWN_DATA_INTRO = "Dit staat er over jou op de sociale kaart:"
OWN_DATA_META = "Toestemming gegeven op {consent}. Laatst bevestigd op {confirmed}."
OWN_DATA_HINT = "Typ bijvoorbeeld 'wijzig mijn telefoonnummer', 'mijn gegevens kloppen' of 'verwijder mij'."
ASK_NEW_VALUE = "Wat wordt je nieuwe {label}?"
FIELD_CHANGED = "Je {label} is gewijzigd in: {value}"
CONFIRMED = "Dank je, je gegevens zijn bevestigd als actueel."
DELETE_QUESTION = "Weet je zeker dat je van de sociale kaart af wilt? Je naam, gegevens en gekoppelde accounts worden definitief verwijderd. Typ 'ja' of 'nee'."
DELETED = "Je gegevens zijn definitief verwijderd van de sociale kaart."
NOT_DELETED = "Prima, je blijft op de sociale kaart staan."
NOTHING_TO_DELETE = "Je staat niet op de sociale kaart; er is niets te verwijderen."
LINK_CODE_ISSUED = (
    "Je koppelcode is {code}. Typ op het andere platform 'koppel {code}'; dan hoort dat account ook bij jouw "
    "aanmelding. De code werkt één keer en is 15 minuten geldig. Geef hem aan niemand anders."
)
LINK_NOT_REGISTERED = (
    "Je staat met dit account nog niet op de sociale kaart. Sta je er wel op via een ander platform? "
    "Typ daar 'koppel' en typ hier 'koppel' met de code die je krijgt. Anders typ je 'aanmelden'."
)
LINK_DONE = "Gekoppeld: dit account hoort nu bij je aanmelding op de sociale kaart ({name}, {organisation})."
LINK_REFUSED = "Deze koppelcode klopt niet of is verlopen; er is niets gekoppeld. Vraag op je andere platform met 'koppel' een nieuwe code."
LINK_ALREADY = (
    "Dit account hoort al bij een aanmelding op de sociale kaart; er is niets gekoppeld. "
    "Typ 'mijn gegevens' om te zien wat er over je staat."
)
LINK_CODE_FORMAT = "Een koppelcode bestaat uit 6 cijfers, bijvoorbeeld 'koppel 123456'."
LINK_BLOCKED = (
    "Je hebt te vaak een verkeerde code getypt, dus ik koppel nu even niets, ook niet met een goede code. "
    "Probeer het over een kwartier opnieuw."
)

_KEEP = re.compile(r"^(ok|oke|okay|houden|zo laten|klopt)$")
_SKIP_MARKS = frozenset("- -- – —".split())
_SKIP = re.compile(r"^(geen|nvt|n v t|overslaan|sla over|leeg)$")
_STOP = re.compile(r"^(stop|stoppen|annuleer|annuleren|afbreken|cancel|laat maar)$")
_CHANGE = re.compile(r"\b(wijzig\w*|verander\w*|aanpassen|pas|update|corrigeer\w*|klopt niet|nieuwe?)\b")
_CONFIRM = re.compile(r"\b(kloppen|klopt (nog|alles)|bevestig\w*|nog actueel)\b")
_SHOW = re.compile(r"\b(mijn gegevens|inzage|inzien|bekijk\w*|wat (weet|staat|bewaar\w*)|welke gegevens|gegevens van mij)\b")
_FIELD_WORDS = (
    ("phone", r"telefoon\w*|nummer|mobiel\w*"),
    ("email", r"e ?mail\w*|mailadres"),
    ("region", r"regio|werkgebied|gemeente|plaats"),
    ("role", r"functie|rol|baan"),
    ("organisation", r"organisatie|werkgever"),
    ("topics", r"onderwerp\w*|expertise|thema\w*"),
    ("note", r"notitie|opmerking"),
    ("name", r"naam"),
)
# Steps whose answer names something; a question-like text there is only stored once confirmed.
NAMING_STEPS = ("name", "organisation", "role", "topics", "region")
_VALUE_AFTER = re.compile(r"\b(?:in|naar|wordt|is nu|:)\s+(.+)$", re.IGNORECASE)
State = dict[str, Any]


def _is_skip(text: str) -> bool:
    """Only a skip word or a dash skips: Arabic, an emoji or "?" folds to nothing but is an answer."""
    stripped = text.strip()
    return stripped in _SKIP_MARKS or bool(_SKIP.match(fold(stripped)))


def _field_named(words: str) -> str | None:
    """The field the words name first ("wijzig mijn organisatie …" names the organisation, even when the new
    value is "Gemeente Utrecht"); the caller leaves the new value out."""
    named = [(found.start(), name) for name, pattern in _FIELD_WORDS if (found := re.search(rf"\b({pattern})\b", words))]
    return min(named)[1] if named else None


def _is_keep(text: str) -> bool:
    return text.strip() == "=" or bool(_KEEP.match(fold(text)))


def _reply(text: str, *, options: tuple[Option, ...] = (), intent: str = "register") -> Reply:
    return Reply(text=text, options=options, intent=intent, score=1.0)


YES_NO_OPTIONS = (Option("Ja", "ja", numbered=False), Option("Nee", "nee", numbered=False))


def _prompt(step: str, draft: dict[str, Any], existing: bool) -> str:
    text = PROMPTS[step]
    current = draft.get(step)
    if existing and current:
        return f"{text} {KEEP_HINT.format(value='; '.join(current) if isinstance(current, list) else current)}"
    if step not in REQUIRED_FIELDS:
        return f"{text} {SKIP_HINT}"
    return text


def _summary(draft: dict[str, Any]) -> str:
    lines = []
    for field in STEPS:
        value = draft.get(field)
        shown = "; ".join(value) if isinstance(value, list) else value
        if shown:
            lines.append(f"- {FIELD_LABELS[field].capitalize()}: {shown}")
    return "\n".join(lines)


def _partner_draft(partner: Partner) -> dict[str, Any]:
    return {field: list(partner.topics) if field == "topics" else partner.value(field) for field in STEPS}


def start(msg: Incoming, state: State, services: Services) -> Reply:
    """Begin registering, or walk an existing entry through again; only a ketenpartner may register."""
    existing = services.partners.by_identity(msg.qualified_user)
    if existing is None and not is_ketenpartner(msg, services):
        return not_a_ketenpartner("register")
    draft = _partner_draft(existing) if existing else {"name": msg.user_name or ""}
    state["dialog"] = {"kind": "register", "step": STEPS[0], "draft": draft, "existing": existing is not None}
    intro = START_UPDATE if existing else START_NEW
    prompt = _prompt(STEPS[0], draft, existing is not None or bool(draft["name"]))
    return Reply(text=f"{intro}\n\n{prompt}", intent="register", score=1.0, form=REGISTER_FORM)


def own_data(msg: Incoming, state: State, services: Services) -> Reply:
    """Route a register-intent message: show, change one field, confirm, or (re)register."""
    folded = fold(msg.text)
    partner = services.partners.by_identity(msg.qualified_user)
    if partner is None:
        if not is_ketenpartner(msg, services):
            return not_a_ketenpartner("register")
        if _SHOW.search(folded) or _CHANGE.search(folded) or _CONFIRM.search(folded):
            return _reply(NOT_REGISTERED, options=(Option("Aanmelden", "register:start", numbered=False),))
        return start(msg, state, services)
    if _CONFIRM.search(folded):
        return confirm(msg, state, services)
    value = _VALUE_AFTER.search(msg.text)
    field = _field_named(fold(msg.text[: value.start()]) if value else folded)
    if _CHANGE.search(folded) and field:
        if value:
            new_value = value.group(1).strip()
            return _change(msg, state, services, field, "" if _is_skip(new_value) else new_value)
        state["dialog"] = {"kind": "field", "step": field}
        return _reply(f"{ASK_NEW_VALUE.format(label=FIELD_LABELS[field])} ({partner.value(field) or '-'})")
    if _CHANGE.search(folded) or not _SHOW.search(folded):
        return start(msg, state, services)
    return show(partner)


def confirm(msg: Incoming, state: State, services: Services) -> Reply:
    """The partner says their entry is still correct."""
    if services.partners.confirm(msg.qualified_user) is None:
        return _reply(NOT_REGISTERED)
    return _reply(CONFIRMED)


def show(partner: Partner) -> Reply:
    lines = [OWN_DATA_INTRO, _summary(_partner_draft(partner))]
    if partner.consent_at and partner.confirmed_at:
        lines += ["", OWN_DATA_META.format(consent=dutch_date(partner.consent_at), confirmed=dutch_date(partner.confirmed_at))]
    lines += ["", OWN_DATA_HINT]
    options = (
        Option("Wijzigen", "register:start", numbered=False),
        Option("Klopt nog", "register:confirm", numbered=False),
        Option("Verwijderen", "unregister:start", numbered=False),
    )
    return _reply("\n".join(lines), options=options)


def _change(msg: Incoming, state: State, services: Services, field: str, value: str) -> Reply:
    try:
        cleaned = clean_field(field, value)
    except FieldError as error:
        state["dialog"] = {"kind": "field", "step": field}
        return _reply(f"{error} {TRY_AGAIN}")
    if field in ("email", "phone") and not cleaned:
        partner = services.partners.by_identity(msg.qualified_user)
        other = "phone" if field == "email" else "email"
        if partner is None or not partner.value(other):
            state["dialog"] = {"kind": "field", "step": field}
            return _reply(NEED_CONTACT)
    state.pop("dialog", None)
    try:
        partner = services.partners.update_field(msg.qualified_user, field, cleaned)
    except EmailTaken:
        return _reply(EMAIL_TAKEN)
    if partner is None:
        return _reply(NOT_REGISTERED)
    return _reply(FIELD_CHANGED.format(label=FIELD_LABELS[field], value=partner.value(field) or "-"))


def link(msg: Incoming, state: State, services: Services) -> Reply:
    """"koppel": a one-time code for this entry; "koppel 123456" on another platform: link that account."""
    digits = re.sub(r"\D", "", msg.text[:100])
    if not digits:
        code = services.links.issue(msg.qualified_user)
        return _reply(LINK_NOT_REGISTERED if code is None else LINK_CODE_ISSUED.format(code=code), intent="link")
    if len(digits) != 6:
        return _reply(LINK_CODE_FORMAT, intent="link")
    if services.partners.by_identity(msg.qualified_user) is not None:
        return _reply(LINK_ALREADY, intent="link")
    outcome = services.links.redeem(msg.qualified_user, digits)
    partner = services.partners.by_identity(msg.qualified_user)
    if outcome is not Redeemed.ACCEPTED or partner is None:
        return _reply(LINK_BLOCKED if outcome is Redeemed.BLOCKED else LINK_REFUSED, intent="link")
    return _reply(LINK_DONE.format(name=partner.name, organisation=partner.organisation), intent="link")


def ask_delete(msg: Incoming, state: State, services: Services) -> Reply:
    if services.partners.by_identity(msg.qualified_user) is None:
        return _reply(NOTHING_TO_DELETE, intent="unregister")
    state["dialog"] = {"kind": "delete"}
    return _reply(DELETE_QUESTION, options=YES_NO_OPTIONS, intent="unregister")


def continue_dialog(msg: Incoming, state: State, services: Services) -> Reply:
    """The next message inside a running dialog."""
    dialog = state["dialog"]
    text = (msg.action or msg.text).strip()
    folded = fold(text)
    if _STOP.match(folded):
        state.pop("dialog", None)
        return _reply(STOPPED, intent="unregister" if dialog["kind"] == "delete" else "register")
    if dialog["kind"] == "delete":
        return _answer_delete(msg, state, services, folded)
    if dialog["kind"] == "field":
        return _change(msg, state, services, dialog["step"], "" if _is_skip(text) else text)
    if dialog["step"] == "consent":
        return _answer_consent(msg, state, services, folded)
    return _answer_or_confirm(state, dialog, text, folded)


def open_to_questions(dialog: dict[str, Any]) -> bool:
    """Whether a question typed now is a question to ketenbot rather than an answer: registration steps."""
    return dialog["kind"] == "register"


def _could_be_the_answer(step: str, text: str) -> bool:
    if step not in NAMING_STEPS:
        return False
    try:
        clean_field(step, text)
    except FieldError:
        return False
    return True


def _step_prompt(dialog: dict[str, Any]) -> str:
    step, draft = dialog["step"], dialog["draft"]
    return _prompt(step, draft, dialog["existing"] or bool(draft.get(step)))


def ask_again(state: State, text: str) -> Reply:
    """The current step again, after the core answered a question typed there. When the question could
    also be this step's answer, "ja" takes it after all."""
    dialog = state["dialog"]
    if dialog["step"] == "consent":
        return _consent_question(dialog["draft"])
    lines = [BACK_TO_REGISTRATION, _step_prompt(dialog)]
    if _could_be_the_answer(dialog["step"], text):
        dialog["maybe"] = text.strip()
        lines.append(WAS_IT_THE_ANSWER.format(text=text.strip(), label=FIELD_LABELS[dialog["step"]]))
    return _reply("\n\n".join(lines))


def _answer_or_confirm(state: State, dialog: dict[str, Any], text: str, folded: str) -> Reply:
    """A step's answer; one phrased as a question is kept aside until the user says it is meant."""
    maybe = dialog.pop("maybe", None)
    confirmed = read_yes_no(folded) if maybe is not None else None
    if confirmed is not None:
        return _answer_step(state, dialog, maybe) if confirmed else _reply(_step_prompt(dialog))
    if looks_like_question(text) and _could_be_the_answer(dialog["step"], text):
        dialog["maybe"] = text
        label = FIELD_LABELS[dialog["step"]]
        return _reply(MEANT_AS_ANSWER.format(text=text, label=label), options=YES_NO_OPTIONS)
    return _answer_step(state, dialog, text)


def _consent_question(draft: dict[str, Any]) -> Reply:
    return _reply(f"{SUMMARY_INTRO}\n{_summary(draft)}\n\n{CONSENT_QUESTION.format(consent=CONSENT_TEXT)}", options=YES_NO_OPTIONS)


def _answer_step(state: State, dialog: dict[str, Any], text: str) -> Reply:
    step, draft = dialog["step"], dialog["draft"]
    if _is_keep(text) and (draft.get(step) or step not in REQUIRED_FIELDS):
        value: Any = draft.get(step) or ""
    else:
        try:
            cleaned = clean_field(step, "" if _is_skip(text) else text)
        except FieldError as error:
            return _reply(f"{error} {TRY_AGAIN}\n\n{_prompt(step, draft, dialog['existing'])}")
        value = list(cleaned) if isinstance(cleaned, tuple) else cleaned
    draft[step] = value
    if step == "phone" and not draft.get("email") and not draft.get("phone"):
        dialog["step"] = "email"
        return _reply(f"{NEED_CONTACT}\n\n{_prompt('email', draft, dialog['existing'])}")
    following = STEPS.index(step) + 1
    if following < len(STEPS):
        dialog["step"] = STEPS[following]
        return _reply(_step_prompt(dialog))
    dialog["step"] = "consent"
    return _consent_question(draft)


def _email_taken(msg: Incoming, email: str, services: Services) -> bool:
    """The e-mail belongs to an entry this chat identity does not own (imported, or someone else's)."""
    owner = services.partners.by_email(email)
    return bool(owner and msg.qualified_user not in owner.identities)


def _answer_consent(msg: Incoming, state: State, services: Services, folded: str) -> Reply:
    dialog = state["dialog"]
    answer = read_yes_no(folded)
    if answer is False:
        state.pop("dialog", None)
        return _reply(NOT_SAVED)
    if answer is None:
        return _reply(YES_NO, options=YES_NO_OPTIONS)
    draft = dialog["draft"]
    if _email_taken(msg, draft.get("email", ""), services):
        dialog["step"] = "email"
        return _reply(f"{EMAIL_TAKEN}\n\n{_prompt('email', draft, False)}")
    partner = Partner(
        name=draft["name"],
        organisation=draft["organisation"],
        role=draft.get("role", ""),
        topics=tuple(draft["topics"]),
        region=draft.get("region", ""),
        email=draft.get("email", ""),
        phone=draft.get("phone", ""),
        note=draft.get("note", ""),
        identities=(msg.qualified_user,),
    )
    closed = {key: value for key, value in state.items() if key != "dialog"}
    try:
        # Published and the dialog closed in one transaction: a crash in between cannot leave the entry live
        # while the dialog still waits for consent.
        services.partners.save(partner, consent_text=CONSENT_TEXT, conversation=(msg.conversation_key, closed))
    except EmailTaken:
        dialog["step"] = "email"
        return _reply(f"{EMAIL_TAKEN}\n\n{_prompt('email', draft, False)}")
    state.pop("dialog", None)
    return _reply(SAVED_UPDATE if dialog["existing"] else SAVED_NEW)


def _answer_delete(msg: Incoming, state: State, services: Services, folded: str) -> Reply:
    answer = read_yes_no(folded)
    if answer is False:
        state.pop("dialog", None)
        return _reply(NOT_DELETED, intent="unregister")
    if answer is None:
        return _reply(YES_NO, options=YES_NO_OPTIONS, intent="unregister")
    services.partners.delete(msg.qualified_user)
    state.clear()
    return _reply(DELETED, intent="unregister")


FORM_FIELDS = ("name", "organisation", "role", "topics", "region", "email", "phone")
CONSENT_REQUIRED = "Zonder toestemming kan ik je niet op de sociale kaart zetten."


def form_values(identity: str, services: Services) -> dict[str, str]:
    """The current entry as form values, to fill a form for someone already on the map."""
    partner = services.partners.by_identity(identity)
    return {field: partner.value(field) for field in FORM_FIELDS} if partner else {}


def submit_form(
    msg: Incoming, values: dict[str, str], *, consent: bool, services: Services
) -> tuple[Partner | None, dict[str, str]]:
    """Save a filled-in registration form: every field validated, consent required, all or nothing.

    Returns the saved partner, or the Dutch error per field (key "consent" for missing consent).
    """
    if not is_ketenpartner(msg, services):
        return None, {"consent": NOT_A_KETENPARTNER}
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for field in FORM_FIELDS:
        try:
            cleaned[field] = clean_field(field, values.get(field) or "")
        except FieldError as error:
            errors[field] = str(error)
    if not errors and not cleaned.get("email") and not cleaned.get("phone"):
        errors["email"] = NEED_CONTACT
    if not errors and _email_taken(msg, cleaned.get("email") or "", services):
        errors["email"] = EMAIL_TAKEN
    if not consent:
        errors["consent"] = CONSENT_REQUIRED
    if errors:
        return None, errors
    try:
        partner = services.partners.save(
            Partner(**cleaned, identities=(msg.qualified_user,)), consent_text=CONSENT_TEXT, conversation=(msg.conversation_key, {})
        )
    except EmailTaken:
        return None, {"email": EMAIL_TAKEN}
    return partner, {}
