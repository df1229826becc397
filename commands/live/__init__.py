"""Live context commands: scheduling, running, the channel, live exams and study sessions."""
