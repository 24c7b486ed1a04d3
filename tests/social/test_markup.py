"""Regression: `<a href="https&#58;//…">` and `<a href=//…>` passed the link filter in partner fields, and what
partners typed was rendered as markdown on Teams and Slack. Markup is refused; replies are shown literally."""

from __future__ import annotations

import json

from adapters.slack.render import render_message
from adapters.teams.render import render
from bot.messages import Reply
from bot.social.partner import Partner
from tests.adapters.test_slack import event, post, signed_headers
from tests.chat import Conversation

ENTITY_LINK = '<a href="https&#58;//phish.example">Bel mij</a>'
RELATIVE_LINK = "<a href=//phish.example>Gemeente Zeist</a>"
LOUD = "*DRINGEND* ~Anouk~ `de` _Vries_"


async def test_a_name_or_organisation_with_markup_is_refused_in_the_dialog(runtime):
    chat = Conversation(runtime.services, user="aanvaller")
    await chat.say("aanmelden")
    refused = await chat.say(ENTITY_LINK)
    assert refused.text.startswith("Hier hoort geen opmaak in, zoals HTML of een link in markdown.")
    await chat.say("Anouk")
    refused = await chat.say(RELATIVE_LINK)
    assert refused.text.startswith("Hier hoort geen opmaak in")
    assert runtime.services.partners.all() == []


def test_teams_shows_partner_text_literally():
    activity = render(Reply(text=f"1. {LOUD} [klik](x) <b>vet</b> # kop", intent="contact"))
    assert activity.text == r"1. \*DRINGEND\* \~Anouk\~ \`de\` \_Vries\_ \[klik\](x) \<b\>vet\</b\> \# kop"
    assert activity.text_format == "markdown"


def test_a_web_address_in_a_teams_reply_stays_whole_so_teams_links_it():
    # The dashboard link reached Teams as "…/dashboard\#token=ab\_cd".
    link = "https://keten.example/dashboard#token=ab_cd-EF~1"
    activity = render(Reply(text=f"Open {link} (10 minuten geldig). *Niet* doorsturen", intent="dashboard"))
    assert activity.text == f"Open {link} (10 minuten geldig). \\*Niet\\* doorsturen"


def test_a_disguised_link_in_a_teams_reply_is_still_escaped():
    for text in ("[klik](https://evil.example/)", "https://a.example/[x](https://evil.example/)", "zie:https://a.example/_x_"):
        activity = render(Reply(text=text, intent="contact"))
        assert "[" not in activity.text.replace("\\[", "") and "](" not in activity.text.replace("\\]", ""), activity.text
    assert render(Reply(text="zie:https://a.example/_x_", intent="contact")).text == r"zie:https://a.example/\_x\_"


def test_slack_shows_partner_text_literally():
    message = render_message(Reply(text=f"1. {LOUD} <!channel> <https://x|klik>", intent="contact"))
    assert message["text"] == "1. *DRINGEND* ~Anouk~ `de` _Vries_ &lt;!channel&gt; &lt;https://x|klik&gt;"
    [section] = message["blocks"]
    assert section["text"] == {"type": "plain_text", "text": message["text"], "emoji": True}
    assert "mrkdwn" not in json.dumps(message)


async def test_a_contact_answer_on_slack_renders_no_markdown(serve, slack_api, fresh_db, runtime):
    from bot.config import Settings
    from tests.adapters.test_slack import SECRET

    runtime.services.partners.save(Partner(name=LOUD, organisation="Schuldhulp Zeist", topics=("schulden",),
                                           phone="030-6921234"), consent_text="ja")
    server = await serve(Settings(db_path=fresh_db, slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                                  slack_api_url=slack_api.api_url))
    body = event("wie kan ik bellen over schulden?", event_id="EvMarkup")
    assert (await post(server, body, signed_headers(body)))[0] == 200
    [call] = await slack_api.wait_for("chat.postMessage")
    assert LOUD in call.body["text"]
    assert {block["text"]["type"] for block in call.body["blocks"] if block["type"] == "section"} == {"plain_text"}
