"""Schemathesis generates requests from the OpenAPI document (valid and invalid ones) and sends
them to the real server as the admin: no answer may be a server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

pytestmark = pytest.mark.db
EXAMPLES = 8  # per operation, on two databases: some 2,400 requests a run (12 cost CI 40 s more)
SHARDS = 4  # every fourth operation a test, so that the test processes share the work


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_generated_request_makes_the_server_fail(server, acme, tokens, shard):
    schema = schemathesis.openapi.from_url(f"{server.url}/api/v1/openapi.json")
    headers = {"Authorization": f"Bearer {tokens['admin']}"}
    every = [result.ok() for result in schema.get_all_operations()]
    assert len(every) >= 25
    operations = every[shard::SHARDS]
    answered: dict[int, int] = {}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def exercise(case):
            response = case.call(base_url=server.url, headers=headers)
            answered[response.status_code] = answered.get(response.status_code, 0) + 1
            case.validate_response(response, checks=[not_a_server_error])

        exercise()
    assert sum(answered.values()) >= 5 * len(operations)
    assert not [status for status in answered if status >= 500]
    print(f"schemathesis: {sum(answered.values())} requests, answers {dict(sorted(answered.items()))}")
