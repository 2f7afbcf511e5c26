from tests.test_hostile_sweep import ROUTES, Sweep, _sign_in, _secret_paths, concrete, sensible_form, fields_of
async def test_probe(client, world):
    sweep = Sweep(client, world); secret = await _secret_paths(world); signed = None
    for m, p, h in ROUTES:
        signed = await _sign_in(sweep, h, signed)
        url = secret.get(p) or concrete(p, world)
        base = sensible_form(world)
        if m == "GET":
            r = await client.get(url, params={k: v for k, v in base.items() if k in fields_of(h) and not isinstance(v, list)})
        else:
            r = await client.post(url, data=base, headers={"x-csrftoken": client.cookies.get("csrftoken", "")}, follow_redirects=False)
        print("BASE", r.status_code, m, p)
