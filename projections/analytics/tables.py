"""The learning analytics read model (`view_progress`): per student and course or class, their
progress and activity, and the day-by-day activity and results every report aggregates.

`learners` has one row per student and scope (a course, or a class): enrolment, counts, time
spent, last activity, streak of active days, milestones, and the sum and count of their scores. `activity_days` sums a student's
activity per day and scope (engagement, streaks, at-risk inactivity). `results` holds every
scored piece of work: quiz attempts and course assessments (performance, failing, funnel).
`items` are the scored things with their due dates (due next, overdue, funnel order)."""

from __future__ import annotations

from projections.engine.engine import Projection

progress = Projection(
    name="progress",
    version=2,  # 2: learners.score_sum and scored (docs/operations.md "Upgrades")
    tables=[
        """CREATE TABLE IF NOT EXISTS courses (
            course_id uuid PRIMARY KEY, title text NOT NULL, lesson_ids uuid[] NOT NULL DEFAULT '{}',
            published_at timestamptz)""",
        """CREATE TABLE IF NOT EXISTS learners (
            student_id uuid NOT NULL, scope_id uuid NOT NULL, scope text NOT NULL,
            joined_at timestamptz NOT NULL, left_at timestamptz, active boolean NOT NULL DEFAULT true,
            due_at timestamptz, lessons_done int NOT NULL DEFAULT 0, results int NOT NULL DEFAULT 0,
            passed int NOT NULL DEFAULT 0, seconds double precision NOT NULL DEFAULT 0,
            last_activity_at timestamptz, last_day date, streak_days int NOT NULL DEFAULT 0,
            longest_streak int NOT NULL DEFAULT 0, first_lesson_at timestamptz, halfway_at timestamptz,
            completed_at timestamptz, certificate_at timestamptz,
            score_sum double precision NOT NULL DEFAULT 0, scored int NOT NULL DEFAULT 0,
            PRIMARY KEY (scope_id, student_id))""",
        "CREATE INDEX IF NOT EXISTS learners_student ON learners (student_id, scope_id)",
        "CREATE INDEX IF NOT EXISTS learners_joined ON learners (joined_at)",  # new enrolments per day
        """CREATE TABLE IF NOT EXISTS activity_days (
            scope_id uuid NOT NULL, day date NOT NULL, student_id uuid NOT NULL,
            events int NOT NULL DEFAULT 0, seconds double precision NOT NULL DEFAULT 0,
            lesson_views int NOT NULL DEFAULT 0, completions int NOT NULL DEFAULT 0,
            results int NOT NULL DEFAULT 0, PRIMARY KEY (scope_id, day, student_id))""",
        "CREATE INDEX IF NOT EXISTS activity_days_student ON activity_days (student_id, day)",
        "CREATE INDEX IF NOT EXISTS activity_days_day ON activity_days (day)",  # the platform's last days
        """CREATE TABLE IF NOT EXISTS items (
            item_id uuid PRIMARY KEY, scope_id uuid NOT NULL, scope text NOT NULL, kind text NOT NULL, title text NOT NULL,
            due_at timestamptz, weight double precision NOT NULL DEFAULT 0)""",
        "CREATE INDEX IF NOT EXISTS items_scope ON items (scope_id, due_at)",
        """CREATE TABLE IF NOT EXISTS results (
            result_id uuid PRIMARY KEY, item_id uuid NOT NULL, scope_id uuid NOT NULL, student_id uuid NOT NULL,
            score double precision, passed boolean, at timestamptz NOT NULL, seconds double precision NOT NULL DEFAULT 0)""",
        "CREATE INDEX IF NOT EXISTS results_scope ON results (scope_id, at)",
        "CREATE INDEX IF NOT EXISTS results_student ON results (student_id, item_id)",
        """CREATE TABLE IF NOT EXISTS lesson_completions (
            scope_id uuid NOT NULL, lesson_id uuid NOT NULL, student_id uuid NOT NULL, at timestamptz NOT NULL,
            PRIMARY KEY (scope_id, lesson_id, student_id))""",
        # Lookups for events that do not name their student or scope themselves.
        """CREATE TABLE IF NOT EXISTS class_lesson_views (
            progress_id uuid PRIMARY KEY, student_id uuid NOT NULL, class_id uuid NOT NULL, lesson_id uuid NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS enrolment_ids (
            enrolment_id uuid PRIMARY KEY, student_id uuid NOT NULL, course_id uuid NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS attempt_starts (
            attempt_id uuid PRIMARY KEY, quiz_id uuid NOT NULL, student_id uuid NOT NULL, started_at timestamptz NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS video_positions (
            video_key text PRIMARY KEY, position_seconds double precision NOT NULL)""",
    ],
)
