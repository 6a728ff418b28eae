import pickle

import pytest

import thankyou
from thankyou.errors import FieldProblem

ERRORS = [
    thankyou.FactsError(
        "two problems",
        source="interview.toml",
        problems=(FieldProblem("panel[0].emial", "unknown field", 7), FieldProblem("date", "bad")),
    ),
    thankyou.TemplateError("undefined 'x'", template="thank-you/formal", lineno=3, variable="x"),
    thankyou.RenderError("no font", format="pdf", recipient="Priya Raman"),
    thankyou.SendError("refused", recipient="priya@acme.example"),
    thankyou.ThankYouError("plain"),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_errors_survive_pickling_whole(error):
    """An error a worker process raises reaches the parent with every attribute and its text."""
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)
    assert copy.args == error.args
