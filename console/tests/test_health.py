def test_healthz_answers(client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_checks_the_database_and_the_channel_layer(db: None, client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "channel_layer": "ok"}
