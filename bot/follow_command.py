"""``newsbot follow list``: every followed topic with its chat, for operators."""

from __future__ import annotations

import argparse
import json

from bot.settings import Settings


async def cmd_follow_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print every topic (stopped ones too) with its chat, and the matching watermark."""
    from bot.store import open_store
    from storage.topics import count_topics, get_watermark, list_all_topics

    async with open_store(settings) as sessions, sessions() as session:
        topics = await list_all_topics(session)
        active, chats = await count_topics(session)
        watermark = await get_watermark(session)
    if args.json:
        rows = [
            {
                "id": topic.id,
                "chat_id": topic.chat_id,
                "words": topic.words,
                "countries": list(topic.countries),
                "active": topic.active,
                "created": topic.created.isoformat(),
            }
            for topic in topics
        ]
        print(json.dumps({"topics": rows, "matched_up_to_story": watermark}, ensure_ascii=False))
        return 0
    if not topics:
        print("No topics followed yet: a chat starts one with /follow.")
        return 0
    for topic in topics:
        countries = f" [{','.join(topic.countries)}]" if topic.countries else ""
        state = "" if topic.active else " (stopped)"
        print(f"{topic.id:>6}  chat {topic.chat_id:>15}  {topic.words}{countries}{state}")
    print(f"{active} active topics in {chats} chats; stories matched up to id {watermark or 0}")
    return 0
