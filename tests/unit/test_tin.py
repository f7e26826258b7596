import json

import pytest
from pydantic import BaseModel

from megaroth.tin import Tin, TinError


class Holder(BaseModel):
    tin: Tin


@pytest.mark.parametrize("printed, masked", [
    ("400-00-1234", "***-**-1234"),
    ("400001234", "***-**-1234"),
    ("12-3456789", "**-***6789"),
    ("XXX-XX-1234", "***-**-1234"),
    ("***-**-1234", "***-**-1234"),
])
def test_tin_masks_itself(printed, masked):
    tin = Tin(printed)
    assert str(tin) == masked
    assert masked in repr(tin)
    assert f"{tin}" == masked
    assert tin.reveal() == printed.replace(" ", "")


@pytest.mark.parametrize("bad", ["1234", "400-00-12345", "abc-de-fghi", "40-00-1234"])
def test_bad_tins_are_refused(bad):
    with pytest.raises(TinError):
        Tin(bad)


def test_json_is_masked_unless_revealed():
    holder = Holder(tin="400-00-1234")
    assert holder.model_dump(mode="json") == {"tin": "***-**-1234"}
    assert holder.model_dump(mode="json", context={"reveal_tins": True}) == {"tin": "400-00-1234"}
    assert "1234" in holder.model_dump_json() and "400-00" not in holder.model_dump_json()
    assert "400-00" not in repr(holder)


def test_validation_errors_do_not_echo_the_tin():
    from megaroth.model.tax_return import Person as Taxpayer

    with pytest.raises(Exception) as info:
        Taxpayer(tin="400-00-12", birth_date="not a date")
    assert "400-00-12" not in str(info.value)


def test_json_schema_describes_a_string():
    schema = Holder.model_json_schema()
    assert schema["properties"]["tin"]["type"] == "string"
    json.dumps(schema)
