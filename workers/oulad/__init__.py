"""The OULAD history (Open University Learning Analytics Dataset) as SkillHub events:
`skillhub demo load --oulad` (docs/analytics.md)."""
