"""Forum read model: reports and posting suspensions (the moderation queue's rows)."""

from __future__ import annotations

import psycopg

from domain.forum import Forum
from domain.forum_posts import Report
from projections.forum.projection import forum


@forum.on
def report_filed(cur: psycopg.Cursor, e: Report.Filed) -> None:
    cur.execute("INSERT INTO reports (report_id, post_id, reporter_id, reason, status, filed_at)"
                " VALUES (%s, %s, %s, %s, 'open', %s) ON CONFLICT DO NOTHING",
                (e.originator_id, e.post_id, e.reporter_id, e.reason, e.timestamp))


@forum.on
def report_dismissed(cur: psycopg.Cursor, e: Report.Dismissed) -> None:
    cur.execute("UPDATE reports SET status = 'dismissed', closed_at = %s WHERE report_id = %s",
                (e.timestamp, e.originator_id))


@forum.on
def suspended(cur: psycopg.Cursor, e: Forum.PersonSuspended) -> None:
    cur.execute("INSERT INTO suspensions (forum_id, user_id, until, reason) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (forum_id, user_id) DO UPDATE SET until = EXCLUDED.until, reason = EXCLUDED.reason",
                (e.originator_id, e.user_id, e.until, e.reason))


@forum.on
def suspension_lifted(cur: psycopg.Cursor, e: Forum.SuspensionLifted) -> None:
    cur.execute("DELETE FROM suspensions WHERE forum_id = %s AND user_id = %s", (e.originator_id, e.user_id))
