"""Live context: exams and study sessions run together in real time (see docs/live.md)."""
