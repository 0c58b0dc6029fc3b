def test_flow(cadre, client):
    r = cadre.file_concern()
    assert r.status_code == 200, r.get_data(as_text=True)[:3000]
    receipt = cadre.receipt_of(r)
    r = cadre.follow_up(receipt)
    assert r.status_code == 303, r.get_data(as_text=True)[:3000]
    r = client.get("/followup/status")
    assert "Too many inspections" in r.get_data(as_text=True)
    r = cadre.reply("hello reviewers")
    assert r.status_code == 303, r.get_data(as_text=True)[:3000]
    assert "hello reviewers" in client.get("/followup/status").get_data(as_text=True)
