#!/usr/bin/env python3
"""`salient review` in a real browser: headless Chromium from Debian driven by Selenium through
Debian's chromedriver (nothing is downloaded).

A directory that is not a study is refused, creating nothing. A human-mode study selects its
first round, which writes the review maps (checked with h5py: the selection's images,
DeepLIFT maps in [0, 1], probabilities). The server starts on a free port and prints the
address with its token. Then:
  - requests without the token, or with a wrong one, get 403;
  - a PUT naming another image's id, a finding the pool lacks, a label that is not one, a
    square that was not presented, or bad JSON gets 400 and writes nothing (the study's files
    are compared byte for byte);
  - in the browser, annotator alice labels two images with the number keys, marks squares by
    clicking them, undoes a change with z and submits each with Enter;
  - after a reload, and after restarting the server, every label and square is as she left it;
  - labels.csv holds her two rows (source review:alice) and feedback.h5 her squares, as she set
    them (read with h5py);
  - a second annotator, bob, opening the page is handed an image other than the one alice has open;
  - where alice and bob disagree, labels.csv keeps the finding unknown and /summary lists the
    conflict.
With a third argument, a screenshot of the page is written there (docs/review-page.png).

usage: check_review_page.py SALIENT WORKDIR [SCREENSHOT]
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import h5py
import numpy as np
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from round_support import run, synth_pool
from run_support import pool_records, read_csv

BUDGET, GRID = 6, 4


def start_server(salient, study, annotator="alice"):
    server = subprocess.Popen([salient, "review", "--study", study, "--port", "0", "--annotator", annotator],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(3):
        line = server.stdout.readline()
        if "http://" in line:
            url = line.strip()
            return server, url.split("/?")[0], url.split("token=")[1].split("&")[0]
    server.kill()
    raise AssertionError("no address printed: " + server.stderr.read())


def stop_server(server):
    server.send_signal(signal.SIGINT)
    out, err = server.communicate(timeout=30)
    assert server.returncode == 0 and "stopped" in out, (server.returncode, out, err)


def request(base, path, token=None, method="GET", body=None, header_token=False):
    url = base + path
    headers = {"Content-Type": "application/json"}
    if token is not None and header_token:
        headers["X-Salient-Token"] = token
    elif token is not None:
        url += ("&" if "?" in path else "?") + "token=" + token
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method, headers=headers)) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def cell(text):
    """A labels.csv cell: 1, 0, or empty for unknown (−1)."""
    return int(text) if text else -1


def study_files(study):
    """Every file of the study that the review may write, as bytes (None when absent)."""
    names = ["labels.csv", "rounds/000/review.json", "rounds/000/feedback.h5"]
    return {name: open(os.path.join(study, name), "rb").read() if os.path.exists(os.path.join(study, name)) else None
            for name in names}


def check_refusals(base, token, study, image, label_names):
    assert request(base, "/api/round")[0] == 403
    assert request(base, "/api/round", token="0" * len(token))[0] == 403
    assert request(base, "/", token="x")[0] == 403
    assert request(base, "/api/round", token=token, header_token=True)[0] == 200
    before = study_files(study)
    path = "/api/image/0?annotator=alice"
    good = {"id": image["id"], "findings": {label_names[0]: 1}, "squares": image["squares"][:1], "submitted": True}
    cases = [({**good, "id": "00000000_000.png"}, "is not the image at this position"),
             ({**good, "findings": {"Not a finding": 1}}, "is not a finding of this pool"),
             ({**good, "findings": {label_names[0]: 2}}, "is not a label"),
             ({**good, "squares": [GRID * GRID]}, "is not a cell of the"),
             ({**good, "squares": [s for s in range(GRID * GRID) if s not in image["squares"]][:1]}, "not one of the"),
             ({**good, "extra": 1}, "unknown key"),
             (b"{not json", "not JSON")]
    for body, reason in cases:
        status, reply = request(base, path, token=token, method="PUT", body=body)
        assert status == 400 and reason in json.loads(reply)["error"], (body, status, reply)
    status, _ = request(base, "/api/image/999?annotator=alice", token=token, method="PUT", body=good)
    assert status == 404
    status, _ = request(base, "/api/image/0?annotator=../../etc", token=token, method="PUT", body=good)
    assert status == 400
    assert study_files(study) == before, "a refused request wrote to the study"


def wait_for(driver, condition, what):
    WebDriverWait(driver, 20).until(lambda d: condition(d), message=what)


def page_state(driver):
    """The labels shown as on (finding index → value) and the marked squares."""
    labels = {}
    for row in driver.find_elements(By.CSS_SELECTOR, "#findings tbody tr"):
        on = row.find_elements(By.CSS_SELECTOR, "button.on")
        labels[int(row.get_attribute("id").split("-")[1])] = int(on[0].get_attribute("data-value")) if on else None
    marked = sorted(int(r.get_attribute("data-cell")) for r in driver.find_elements(By.CSS_SELECTOR, "rect.marked"))
    return labels, marked


def current_position(driver):
    return int(driver.find_element(By.ID, "image-position").text.split()[0]) - 1


def saved(driver):
    return driver.find_element(By.ID, "status").text.endswith("saved")


def label_image(driver, keys, squares):
    """Presses @p keys (digits cycle a finding: unknown, present, absent), clicks @p squares."""
    body = driver.find_element(By.TAG_NAME, "body")
    for key in keys:
        body.send_keys(key)
        wait_for(driver, saved, "a key's change saved")
    for square in squares:
        driver.find_element(By.CSS_SELECTOR, f"rect[data-cell='{square}']").click()
        wait_for(driver, saved, "a square's change saved")


def open_page(driver, base, token, annotator, image=None):
    url = f"{base}/?token={token}&annotator={annotator}" + ("" if image is None else f"&image={image}")
    driver.get(url)
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#findings tbody tr"), "the findings table")
    wait_for(driver, lambda d: d.execute_script(
        "const i = document.getElementById('xray'); return i.complete && i.naturalWidth > 0"), "the X-ray")


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def main():
    salient, work = sys.argv[1:3]
    screenshot = sys.argv[3] if len(sys.argv) > 3 else None
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    pool = synth_pool(salient, work, count=48, shard_size=24, seed=8, size=96)
    label_names, records = pool_records(pool)
    study = os.path.join(work, "study")
    run([salient, "--log-level", "warn", "run", "--study", study, "--pool", pool, "--model", "small-cnn",
         "--input-size", "32", "--strategy", "entropy", "--budget", str(BUDGET), "--rounds", "2", "--labels", "human",
         "--epochs", "1", "--threads", "1", "--no-progress", "--montage-count", "0",
         "--set", f"training.rrr_grid={GRID}", "--set", "training.rrr_lambda=1", "--set", "saliency.method=deeplift",
         "--set", "training.validation_fraction=0.3"])
    selection = read_csv(os.path.join(study, "rounds", "000", "selection.csv"))
    with h5py.File(os.path.join(study, "rounds", "000", "review.h5"), "r") as maps:
        assert list(maps["index"][:]) == [records[row["id"]][0] for row in selection]
        saliency = maps["saliency"][:].astype(np.float64)
        assert saliency.shape == (BUDGET, 32, 32) and saliency.min() >= 0 and saliency.max() <= 1
        assert all(np.isclose(m.max(), 1) or m.max() == 0 for m in saliency), "each map is min-max scaled"
        probabilities = maps["probability"][:]
        assert probabilities.shape == (BUDGET, len(label_names)) and ((0 <= probabilities) & (probabilities <= 1)).all()

    # A directory that is not a study is refused, and nothing is created there.
    missing = os.path.join(work, "not-a-study")
    refused = run([salient, "review", "--study", missing], check=False)
    assert refused.returncode != 0 and "is not a study" in refused.stderr and not os.path.exists(missing), refused

    server, base, token = start_server(salient, study)
    driver = browser()
    try:
        image0 = json.loads(request(base, "/api/image/0?annotator=alice", token=token)[1])
        assert image0["id"] == selection[0]["id"] and len(image0["squares"]) == GRID * GRID // 4
        assert image0["truth"] == list(records[image0["id"]][1]), "the ground truth is the pool's"
        check_refusals(base, token, study, image0, label_names)

        open_page(driver, base, token, "alice")
        first = current_position(driver)
        assert driver.find_element(By.ID, "method").text == "saliency: deeplift"
        image = json.loads(request(base, f"/api/image/{first}?annotator=alice", token=token)[1])
        # finding 1 present, finding 2 absent (two presses), two squares; finding 3 present, undone.
        label_image(driver, ["1", "2", "2"], image["squares"][:2])
        label_image(driver, ["3"], [])
        driver.find_element(By.TAG_NAME, "body").send_keys("z")
        wait_for(driver, saved, "the undo saved")
        expected_first = ({0: 1, 1: 0}, sorted(image["squares"][:2]))
        shown = page_state(driver)
        assert {k: v for k, v in shown[0].items() if v in (0, 1)} == expected_first[0], shown
        assert shown[1] == expected_first[1], shown
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ENTER)
        wait_for(driver, lambda d: current_position(d) != first, "Enter moves on")
        second = current_position(driver)
        image2 = json.loads(request(base, f"/api/image/{second}?annotator=alice", token=token)[1])
        label_image(driver, ["4", "4"], image2["squares"][-1:])
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ENTER)
        wait_for(driver, lambda d: current_position(d) not in (first, second), "Enter moves on again")
        alice_open = current_position(driver)
        if screenshot:
            driver.save_screenshot(screenshot)

        labels = {row["id"]: row for row in read_csv(os.path.join(study, "labels.csv"))}
        for position, values in ((first, {0: 1, 1: 0}), (second, {3: 0})):
            row = labels[selection[position]["id"]]
            assert row["source"] == "review:alice" and row["round"] == "0", row
            assert [cell(row[n]) for n in label_names] == [values.get(c, -1) for c in range(len(label_names))], row
        assert len(labels) == 2, labels
        with h5py.File(os.path.join(study, "rounds", "000", "feedback.h5"), "r") as feedback:
            masks = {(int(i), a.decode()): m for i, a, m in
                     zip(feedback["index"][:], feedback["annotator"][:], feedback["mask"][:])}
        for position, squares in ((first, image["squares"][:2]), (second, image2["squares"][-1:])):
            expected = np.zeros(GRID * GRID, np.uint8)
            expected[squares] = 1
            assert (masks[(records[selection[position]["id"]][0], "alice")].ravel() == expected).all()

        # A second annotator, in the browser, is handed another image than the one alice has open.
        open_page(driver, base, token, "bob")
        bob_open = current_position(driver)
        assert bob_open not in (first, second, alice_open), (bob_open, first, second, alice_open)

        # After a reload, and after a restart of the server, everything is as alice left it.
        for restart in (False, True):
            if restart:
                stop_server(server)
                server, base, token = start_server(salient, study)
            open_page(driver, base, token, "alice", image=first)
            assert page_state(driver)[1] == expected_first[1]
            assert {k: v for k, v in page_state(driver)[0].items() if v in (0, 1)} == expected_first[0]

        # bob disagrees on finding 1 of the first image: it becomes unknown, and a conflict.
        status, _ = request(base, f"/api/image/{first}?annotator=bob", token=token, method="PUT",
                            body={"id": selection[first]["id"], "findings": {label_names[0]: 0, label_names[1]: 0},
                                  "squares": [], "submitted": True})
        assert status == 200
        row = {r["id"]: r for r in read_csv(os.path.join(study, "labels.csv"))}[selection[first]["id"]]
        assert row["source"] == "review:alice+bob", row
        assert cell(row[label_names[0]]) == -1 and cell(row[label_names[1]]) == 0, row
        summary = request(base, "/summary", token=token)[1].decode()
        assert "1 conflict(s)" in summary and f"{label_names[0]}: alice present, bob absent" in summary, summary
        for position in set(range(BUDGET)) - {first, second}:
            assert request(base, f"/api/image/{position}?annotator=alice", token=token, method="PUT",
                           body={"id": selection[position]["id"], "submitted": True})[0] == 200
    finally:
        driver.quit()
        stop_server(server)

    # The round is labeled: `salient run` fine-tunes with alice's squares as HITL's W.
    run([salient, "--log-level", "warn", "run", "--study", study, "--no-progress"])
    training = json.load(open(os.path.join(study, "rounds", "001", "training.json")))
    assert training["images"] == BUDGET and training["feedback_images"] == 2, training
    print(f"review page: refusals, keys, squares, undo, reload, restart, leases, conflicts and tune checked at {base}")


if __name__ == "__main__":
    main()
