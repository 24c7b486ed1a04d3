"""Milestones recorded, reached and celebrated: preview, confirmation, a broadcast through the outbox."""

from __future__ import annotations

import pytest

from bot.social.partner import Partner
from tests.chat import Conversation

pytestmark = pytest.mark.both_databases

DIRECTOR = "regisseur"


@pytest.fixture
def chain(runtime, settings):
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


async def test_configured_channels_get_the_celebration_too(runtime, settings):
    from dataclasses import replace

    services = replace(runtime.services, broadcast_channels=("slack:CALGEMEEN",))
    services.directors.add(f"console:{DIRECTOR}")
    director = Conversation(services, user=DIRECTOR)
    await director.say("mijlpaal: start pilot")
    await director.say("mijlpaal bereikt: start pilot")
    assert "Het gaat naar 1 ontvanger. Versturen?" in (await director.say("vier de start pilot")).text
    await director.say("ja")
    assert runtime.db.execute("SELECT identity FROM outbox").fetchall() == [("slack:CALGEMEEN",)]


async def celebrate_spreekuur(chain) -> Conversation:
    """The director records, reaches and celebrates a milestone to every partner; returns the conversation."""
    director = Conversation(chain.services, user=DIRECTOR)
    await director.say("mijlpaal: eerste gezamenlijke spreekuur")
    await director.say("mijlpaal bereikt: eerste gezamenlijke spreekuur")
    await director.say("vier het eerste gezamenlijke spreekuur")
    await director.say("ja")
    return director


async def test_progress_says_when_a_teams_message_may_have_arrived_twice(chain):
    director = await celebrate_spreekuur(chain)
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


async def test_the_director_hears_which_messages_wait_for_a_personal_conversation(chain):
    from adapters.delivery import announce_finished
    from bot.commitment import scheduler

    director = await celebrate_spreekuur(chain)
    scheduler.start_cycle(chain.services, chain.services.clock.now())  # a check-in for every partner
    outbox = chain.outbox
    for delivery in outbox.claim(("slack",), 20):
        outbox.sent(delivery.id)
    for delivery in outbox.claim(("teams",), 10):  # no 1:1 conversation with T, and none could be started
        outbox.wait(delivery, "no personal conversation: HTTP 403")
    reply = await director.say("voortgang")
    assert reply.text == (
        "Voortgang van 'eerste gezamenlijke spreekuur': 5 van 6 bezorgd, 0 mislukt, 0 onderweg."
        " Bij 1 ontvanger wacht het bericht nog: ketenbot kan daar (nog) geen persoonlijk gesprek beginnen. Het gaat"
        " alsnog uit zodra dat kan, bijvoorbeeld wanneer die persoon ketenbot zelf een bericht stuurt.\n\n"
        "Persoonlijke berichten (check-ins, herinneringen en de vraag of iemands gegevens nog kloppen):"
        " Bij 1 ketenpartner wacht het bericht nog: ketenbot kan daar (nog) geen persoonlijk gesprek beginnen."
        " Het gaat alsnog uit zodra dat kan, bijvoorbeeld wanneer die persoon ketenbot zelf een bericht stuurt."
        " Ketenbot stuurt ze nooit in een kanaal."
    )
    # Nothing else is under way, so the final count comes, and says who still waits.
    announce_finished(outbox, outbox.open_broadcasts())
    [done] = outbox.take_for(f"console:{DIRECTOR}")
    assert done.payload["text"].startswith(
        "Klaar met versturen van 'eerste gezamenlijke spreekuur': 5 bezorgd, 0 mislukt. Bij 1 ontvanger wacht het bericht nog"
    )
    # When Teams learns more about T, the waiting messages are due again.
    assert outbox.resume("teams:29:t") == 2
    assert outbox.progress(1)["pending"] == 1 and outbox.waiting_personal() == 0
