"""Milestones recorded, reached and celebrated: preview, confirmation, a broadcast through the outbox."""

from __future__ import annotations

import pytest

from bot.partner import Partner
from tests.chat import Conversation

DIRECTOR = "regisseur"


@pytest.fixture
def chain(runtime, fresh_db):
    registry = runtime.services.partners
    for n in range(5):
        registry.save(Partner(name=f"P{n}", organisation="Org", topics=("x",), identities=(f"slack:U{n}",)), consent_text="ja")
    registry.save(Partner(name="T", organisation="Org", topics=("x",), identities=("teams:29:t",)), consent_text="ja")
    runtime.services.directors.add(f"console:{DIRECTOR}")
    return runtime


async def test_record_reach_and_celebrate(chain):
    director = Conversation(chain.services, user=DIRECTOR)
    reply = await director.say("nieuwe mijlpaal: 100 gezinnen schuldenvrij op 1 maart 2027: dankzij de gezamenlijke aanpak")
    assert reply.text.startswith("Mijlpaal vastgelegd: 100 gezinnen schuldenvrij (gepland 2027-03-01).")
    reply = await director.say("vier 100 gezinnen schuldenvrij")
    assert reply.text == "'100 gezinnen schuldenvrij' is nog niet als bereikt genoteerd. Typ eerst 'mijlpaal bereikt: 100 gezinnen schuldenvrij'."
    reply = await director.say("mijlpaal bereikt: 100 gezinnen")
    assert reply.text.startswith("Ik weet niet zeker welke mijlpaal je bedoelt met '100 gezinnen', dus ik heb nog niets gedaan.")
    reply = await director.say("Mijlpaal bereikt: 100 Gezinnen schuldenvrij!")
    assert reply.text.startswith("Gefeliciteerd! '100 gezinnen schuldenvrij' staat als bereikt genoteerd.")
    reply = await director.say("mijlpalen")
    assert "- 100 gezinnen schuldenvrij (2027-03-01): bereikt" in reply.text
    reply = await director.say("vier 100 gezinnen schuldenvrij")
    assert "Mijlpaal bereikt: 100 gezinnen schuldenvrij!" in reply.text
    assert "dankzij de gezamenlijke aanpak" in reply.text
    assert "Het gaat naar 6 ontvangers. Versturen?" in reply.text
    assert chain.db.execute("SELECT COUNT(*) FROM outbox").fetchone() == (0,)
    reply = await director.say("ja")
    assert reply.text.startswith("Het bericht staat klaar voor 6 ontvangers")
    rows = chain.db.execute("SELECT identity, status FROM outbox ORDER BY id").fetchall()
    assert sorted(i for i, _ in rows) == sorted([f"slack:U{n}" for n in range(5)] + ["teams:29:t"])
    reply = await director.say("voortgang")
    assert reply.text == "Voortgang van '100 gezinnen schuldenvrij': 0 van 6 bezorgd, 0 mislukt, 6 onderweg."


async def test_celebration_can_be_cancelled(chain):
    director = Conversation(chain.services, user=DIRECTOR)
    await director.say("mijlpaal: eerste gezamenlijke spreekuur")
    await director.say("mijlpaal bereikt: eerste gezamenlijke spreekuur")
    await director.say("vier het eerste gezamenlijke spreekuur")
    reply = await director.say("nee")
    assert reply.text == "Prima, er is niets verstuurd."
    assert chain.db.execute("SELECT COUNT(*) FROM outbox").fetchone() == (0,)


async def test_configured_channels_get_the_celebration_too(runtime, fresh_db):
    from dataclasses import replace

    services = replace(runtime.services, broadcast_channels=("slack:CALGEMEEN",))
    services.directors.add(f"console:{DIRECTOR}")
    director = Conversation(services, user=DIRECTOR)
    await director.say("mijlpaal: start pilot")
    await director.say("mijlpaal bereikt: start pilot")
    assert "Het gaat naar 1 ontvanger. Versturen?" in (await director.say("vier de start pilot")).text
    await director.say("ja")
    assert runtime.db.execute("SELECT identity FROM outbox").fetchall() == [("slack:CALGEMEEN",)]


async def test_progress_says_when_a_teams_message_may_have_arrived_twice(chain):
    director = Conversation(chain.services, user=DIRECTOR)
    await director.say("mijlpaal: eerste gezamenlijke spreekuur")
    await director.say("mijlpaal bereikt: eerste gezamenlijke spreekuur")
    await director.say("vier het eerste gezamenlijke spreekuur")
    await director.say("ja")
    outbox = chain.outbox
    for delivery in outbox.claim(("slack",), 10):
        outbox.sent(delivery.id)
    [teams] = outbox.claim(("teams",), 10)
    outbox.sent(teams.id, maybe_twice=True)  # resent after a crash; the connector cannot say if the first arrived
    reply = await director.say("voortgang")
    assert reply.text == (
        "Voortgang van 'eerste gezamenlijke spreekuur': 6 van 6 bezorgd, 0 mislukt, 0 onderweg."
        " 1 ontvanger krijgt het bericht mogelijk twee keer: het versturen werd onderbroken en Teams kan niet"
        " nagaan of het eerste bericht al was aangekomen."
    )
