"""AI tools of the personalization context: what teachers accepted about their lesson texts
(topics.py) and machine-drafted questions waiting for a teacher (question_drafts.py)."""
