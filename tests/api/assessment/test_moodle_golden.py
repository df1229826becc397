"""Golden tests: SkillHub's re-creations of Moodle's own GIFT and XML test fixtures
(tests/fixtures/moodle, each saying at its top which constructs it re-creates), imported through
the API, give exactly these questions and warnings. Nothing is lost without a warning."""

from __future__ import annotations

from commands.assessment.cloze_and_essay import default_rubric
from domain.identity import Role
from tests.api.assessment.moodle_fixtures import (
    imported,
    link,
    option,
    text_answer,
    true_false,
)

BR = "\\\n"  # a hard line break in Markdown (HTML's <br>)


def _essay(title: str, prompt: str, skills: list[str] | None = None) -> dict:
    return {"title": title, "prompt": prompt, "general_feedback": "", "skills": skills or [], "tags": [], "type": "essay",
            "rubric": [c.model_dump() for c in default_rubric()], "response_template": "", "grader_info": ""}


def test_gift_format_markers_wrong_answer_feedback_and_catch_alls(kit):
    result, questions = imported(kit, kit.cast.teacher, "gift_formats.gift")
    assert result["unsupported"] == []
    assert questions == [
        _essay("Journal", "Describe your weekend."),
        {"title": "Rivers", "prompt": "Match each **river** to its continent.", "general_feedback": "", "skills": [],
         "tags": [], "type": "matching", "scoring": "partial", "stems": [
             {"id": "s1", "text": "The longest river in *Africa*.", "choice_id": "c1"},  # [html]
             {"id": "s2", "text": "The river through Manaus.", "choice_id": "c2"},  # [moodle]
             {"id": "s3", "text": "A river called \\*Danube\\*.", "choice_id": "c3"},  # [plain]: stars shown as typed
             {"id": "s4", "text": "The **Mississippi**.", "choice_id": "c4"}],  # [markdown]
         "choices": [{"id": "c1", "text": "Africa"}, {"id": "c2", "text": "South America"}, {"id": "c3", "text": "Europe"},
                     {"id": "c4", "text": "North America"}, {"id": "c5", "text": "Oceania"}]},
        {"title": "Sky", "prompt": "What colour is a clear daytime sky?", "general_feedback": "", "skills": [], "tags": [],
         "type": "single_choice", "options": [option("a", "blue", True, "right; well seen!"),
                                              option("b", "green", False, "no, *not* green"),
                                              option("c", "\\<red\\>", False, "no, that is a sunset")]},
        {"title": "Primes", "prompt": "Which of these are prime numbers?", "general_feedback": "", "skills": [], "tags": [],
         "type": "multiple_choice", "scoring": "right_minus_wrong", "options": [
             option("a", "two", True, "right; the only even prime"), option("b", "four", False, "no, **2 x 2**"),
             option("c", "three", True, "right; good!"), option("d", "1 \\* 1", False, "no, one is not prime")]},
        {"title": "Dice", "prompt": "A die shows a number from 1 to 6\\. Give one near the middle: _____ (or so).",
         "general_feedback": "", "skills": [], "tags": [], "type": "numeric", "tolerance_mode": "absolute", "units": [],
         "unit_required": False, "answers": [{"value": 3.0, "tolerance": 2.0, "credit": 1.0, "feedback": ""}],
         "other_feedback": "Way off"},
        {"title": "Pets", "prompt": 'Which animal says "meow"?', "general_feedback": "Cats **meow**, dogs bark.",
         "skills": [], "tags": [], "type": "short_text", "case_sensitive": False,
         "answers": [text_answer("Cat", 1.0, "Purrfect!"), text_answer("Kitten", 0.5, "Young, but yes.")],
         "other_feedback": "Listen again."},
        true_false("Light speed", "Sound travels faster than light. _____ (physics).", False,
                   true="No: light is about a million times faster.", false="Right, light wins.",
                   general="Thunder comes after lightning for this reason."),
        true_false("Same name", "Water boils at 100 °C at sea level.", True),
        true_false("Same name", "Ice is frozen water.", True),
    ]
    assert result["warnings"] == [
        "'Journal': essay imported with the default rubric (Overall: 0-3 points)",
        "'Primes': answer weights (50%, -100%, 50%, -100%) imported as right minus wrong: each right option 50%,"
        " each wrong one -50%"]


def test_gift_html_links_to_audio_and_italic_spans_are_kept(kit):
    result, questions = imported(kit, kit.cast.teacher, "gift_category.gift")
    skills = ["Languages for Beginners"]
    assert (result["unsupported"], result["warnings"]) == ([], [])
    assert questions == [
        {"title": "Greetings", "prompt": "Match the **greeting** to its language.", "general_feedback": "",
         "skills": skills, "tags": [], "type": "matching", "scoring": "partial", "stems": [
             {"id": "s1", "text": "A greeting heard in Madrid.", "choice_id": "c1"},
             {"id": "s2", "text": "A greeting heard in Rome.", "choice_id": "c2"},
             {"id": "s3", "text": "A greeting heard in Lisbon.", "choice_id": "c3"}],
         "choices": [{"id": "c1", "text": "Spanish"}, {"id": "c2", "text": "Italian"}, {"id": "c3", "text": "Portuguese"},
                     {"id": "c4", "text": "Klingon"}]},
        {"title": "Listening", "prompt": f"[Play the recording:](https://media.example.org/audio/hallo.mp3){BR}{BR}"
                                         "Which language do you hear?",
         "general_feedback": "", "skills": skills, "tags": [], "type": "single_choice", "options": [
             option("a", "Dutch", False, "Listen once more."), option("b", "German", True, "Yes, well heard!"),
             option("c", "Danish", False, "Listen once more."), option("d", "Swedish", False, "Listen once more.")]},
        {"title": "Learner", "prompt": "Someone learning a language is a ...", "general_feedback": "", "skills": skills,
         "tags": [], "type": "short_text", "case_sensitive": False, "answers": [text_answer("learner")],
         "other_feedback": ""},
        true_false("Esperanto", "Esperanto was created by *Ludwik Zamenhof*.", True, skills=skills),
    ]


def test_cloze_keeps_its_images_catch_all_and_line_breaks_in_feedback(kit):
    teacher, name = kit.cast.teacher, "xml_cloze_images.xml"
    result, questions = imported(kit, teacher, name)
    norway, sweden = link(teacher, name, "flag_norway.png"), link(teacher, name, "flag sweden.png")
    choices = [option("a", "Norway", True, "Yes"), option("b", "Sweden", False, "No")]
    assert questions == [{
        "title": "Cloze with flags", "type": "cloze", "skills": ["Default for Flags and capitals"], "tags": [],
        "prompt": f"Pick the country of each city,\n\nNorway ![Norwegian flag]({norway}) or Sweden ![Swedish flag]({sweden})"
                  f"{BR}\\* Bergen: {{{{1}}}}{BR}\\* Malmo: {{{{2}}}}{BR}The capital of Norway is {{{{3}}}}.",
        "general_feedback": f"Flags from the atlas ![Atlas logo]({link(teacher, name, 'atlas.png')})",
        "blanks": [
            {"id": "1", "kind": "choice", "weight": 1.0, "options": choices},
            {"id": "2", "kind": "choice", "weight": 1.0, "options": [option("a", "Norway", False, "No"),
                                                                      option("b", "Sweden", True, "Yes")]},
            {"id": "3", "kind": "short_text", "weight": 1.0, "case_sensitive": False,
             "answers": [text_answer("Oslo", 1.0, "Well done!"),
                         text_answer("Bergen", 0.5, f"Close: the second city{BR}(after Oslo).")],
             "other_feedback": "No. The capital of Norway is Oslo."}]}]
    assert result["warnings"] == ["'Cloze with flags': image size left out (Markdown images have none)"]


def test_choice_with_an_audio_link_and_images_in_its_options(kit):
    teacher, name = kit.cast.teacher, "xml_choice_media.xml"
    result, questions = imported(kit, teacher, name)

    def flag(option_id: str, file: str, alt: str, word: str, correct: bool, feedback: str) -> dict:
        return option(option_id, f"![{alt}]({link(teacher, name, file)}) {word}", correct, feedback)

    assert questions == [{
        "title": "Recording", "type": "single_choice", "skills": ["Default for listening/Multichoice"], "tags": [],
        "prompt": f"[Play the recording:]({link(teacher, name, 'hallo.mp3')}){BR}{BR}Which language is spoken?",
        "general_feedback": "", "options": [
            flag("a", "flag-uk.jpg", "UK flag", "English", False, "Listen once more."),
            flag("b", "flag-de.jpg", "German flag", "German", True, "Yes, well heard!"),
            flag("c", "flag-fr.jpg", "French flag", "French", False, "Listen once more."),
            flag("d", "flag-dk.jpg", "Danish flag", "Danish", False, "Listen once more.")]}]
    assert result["warnings"] == ["'Recording': image size left out (Markdown images have none)"]


def test_true_false_images_in_text_feedback_and_a_titled_link(kit, infra):
    teacher, name = kit.make_person(Role.TEACHER), "xml_true_false_images.xml"  # new: none of its media yet
    before = kit.events(infra, "Media.Uploaded")
    result, questions = imported(kit, teacher, name)
    logo, up, down = (link(teacher, name, f) for f in ("logo.jpg", "up.jpg", "down.jpg"))
    skills = ["Default for quiz/TrueFalse"]
    assert questions == [
        true_false("Acronym (False)", f"HTML ![HTML logo]({logo}) stands for *Hyper Text Making Language*.", False,
                   true=f"![Thumb down]({down}) That is not it.", false=f"![Thumb up]({up}) Right: Markup, not Making.",
                   general=f"![Information]({link(teacher, name, 'info.jpg')})Read more in the "
                           '[HTML documentation](https://docs.example.org/en/HTML "Web docs - HTML").', skills=skills),
        true_false("Acronym (True)", f"HTML ![HTML logo]({logo}) stands for *Hyper Text Markup Language*.", True,
                   true=f"![thumb up]({up}) Right.", false=f"![thumb down]({down}) It is Markup.", skills=skills),
    ]
    assert result["warnings"] == ["'Acronym (False)': image size left out (Markdown images have none)",
                                  "'Acronym (True)': image size left out (Markdown images have none)"]
    # The same bytes in both questions are one media file of the importer's: four files in all.
    assert kit.events(infra, "Media.Uploaded") - before == 4


def test_moodle_1_9_question_images_are_kept(kit):
    teacher, name = kit.cast.teacher, "xml_old_image.xml"
    result, questions = imported(kit, teacher, name)
    atlas = f"![atlas.png]({link(teacher, name, 'atlas.png')})"
    skills = ["Default for Old images"]
    assert questions == [
        {"title": "Cloze with an old image", "type": "cloze", "skills": skills, "tags": [], "general_feedback": "",
         "prompt": f'A cloze question with an image in the old "image" field of Moodle 1.9.{BR}Pick the country of each'
                   f" city:{BR}\\* Bergen: {{{{1}}}}{BR}\\* Malmo: {{{{2}}}}{BR}The capital of Sweden is {{{{3}}}}.\n\n{atlas}",
         "blanks": [
             {"id": "1", "kind": "choice", "weight": 1.0, "options": [option("a", "Norway", True, "Yes"),
                                                                       option("b", "Sweden", False, "No")]},
             {"id": "2", "kind": "choice", "weight": 1.0, "options": [option("a", "Norway", False, "No"),
                                                                       option("b", "Sweden", True, "Yes")]},
             {"id": "3", "kind": "short_text", "weight": 1.0, "case_sensitive": False,
              "answers": [text_answer("Stockholm", 1.0, "Well done!"),
                          text_answer("Gothenburg", 0.5, f"Close: the second city{BR}(after Stockholm).")],
              "other_feedback": "No. The capital of Sweden is Stockholm."}]},
        {"title": "Choice with an old image", "type": "single_choice", "skills": skills, "tags": [],
         "prompt": f'A multiple choice question with an image in the old "image" field of Moodle 1.9\n\n{atlas}',
         "general_feedback": "", "options": [option("a", "first wrong answer"), option("b", "second wrong answer"),
                                             option("c", "the right answer", True)]},
    ]
    assert result["warnings"] == []


def test_nested_categories_become_skills_and_their_descriptions_are_named(kit):
    result, questions = imported(kit, kit.cast.teacher, "xml_nested_categories.xml")
    assert questions == [
        true_false("Alpha question", "Alpha is the first Greek letter.", True, skills=["Alpha"]),
        _essay("Beta essay", f"Write about Beta.{BR}Two lines are enough.", ["Alpha/Beta"]),
        true_false("Beta question", "Beta comes after Alpha.", True, skills=["Alpha/Beta"]),
        true_false("Gamma question", "Gamma is the third Greek letter.", True, skills=["Alpha/Beta/Gamma"]),
        true_false("Delta question", "Delta is written as a triangle.", True, skills=["Alpha/Delta"]),
    ]
    assert result["warnings"] == [
        "category 'Alpha': its description left out (skills have none)",
        "category 'Alpha/Beta': its description left out (skills have none)",
        "'Beta essay': essay imported with the default rubric (Overall: 0-3 points); adjust it in the bank",
        "category 'Alpha/Beta/Gamma': its description left out (skills have none)",
        "category 'Alpha/Delta': its description left out (skills have none)"]
