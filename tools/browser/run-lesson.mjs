// Runs one lesson in headless Chromium through the lab's running Jupyter server, as a learner
// would: opens its page, inserts the test parameters after the `parameters` cell, runs all
// cells with the front end's own Run All, waits for every code cell, then looks at what the
// page shows. Two front ends: the classic Notebook 6 page (Cell > Run All, clicked), and
// JupyterLab (its notebook:run-all-cells command, in a fresh workspace), which the server must
// expose as window.jupyterapp (LabApp.expose_app_in_browser, set by tools/browser_check.py).
// Started by tools/browser_check.py, which installs playwright-core into build/browser and
// starts the server; progress goes to stderr, and the last line on stdout is the result as JSON:
//   {"status": "pass"|"fail", "message", "codeCells", "charts", "screenshot", "seconds"}
//
//   node tools/browser/run-lesson.mjs --base http://127.0.0.1:8888 --token T --notebook 01-overview.ipynb \
//     --chromium /usr/bin/chromium --modules build/browser/node_modules --screenshot out.png \
//     [--frontend classic|lab] [--parameters "SOURCE"] [--timeout 300] [--case lesson|error|no-chart]
//
// --case error inserts a cell that throws after the parameters; --case no-chart deletes the code
// cells after the parameters and adds one that prints text. Both are edits in the page only:
// the page never saves (autosave is off, and writes to /api/contents are refused).
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
const ADDED = ['injected-parameters', 'browser-self-test'];  // tags of the cells this script inserts

function options(argv) {
  const o = { timeout: '300', case: 'lesson', frontend: 'classic' };
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(`bad argument ${argv[i]}`);
    o[argv[i].slice(2)] = argv[i + 1];
  }
  for (const need of ['base', 'token', 'notebook', 'chromium', 'modules', 'screenshot']) {
    if (!o[need]) throw new Error(`--${need} is required`);
  }
  if (!['classic', 'lab'].includes(o.frontend)) throw new Error(`--frontend must be classic or lab, not ${o.frontend}`);
  return o;
}

const started = Date.now();
const say = (message) => process.stderr.write(`  .... browser: ${message}\n`);
const seconds = () => ((Date.now() - started) / 1000).toFixed(0);

class Failure extends Error {}

// Everything the page shows about its code cells, read from the DOM (and the cell tags).
// Runs in the page.
function pageState(added) {
  const nb = window.Jupyter.notebook;
  const icon = document.querySelector('#kernel_indicator_icon');
  let stored = 0, code = 0;
  const cells = [];
  nb.get_cells().forEach((cell) => {
    const tags = (cell.metadata && cell.metadata.tags) || [];
    const mine = tags.some((t) => added.includes(t));
    if (!mine) stored += 1;
    if (cell.cell_type !== 'code') return;
    if (!mine) code += 1;
    const el = cell.element[0];
    const text = cell.get_text();
    const first = (text.split('\n').find((l) => l.trim()) || '').trim().slice(0, 70);
    const where = tags.includes('injected-parameters') ? `the injected-parameters cell after cell ${stored}`
      : mine ? `the self-test cell after cell ${stored} (${first})`
      : `cell ${stored} (code cell ${code}: ${first})`;
    const prompt = (el.querySelector('.input_prompt') || {}).innerText || '';
    const count = /\[\s*(\d+)\s*\]/.exec(prompt);
    const texts = (selector) => [...el.querySelectorAll(selector)].map((e) => e.innerText.trim()).filter(Boolean);
    cells.push({
      where, mine,
      empty: text.trim() === '',
      count: count ? Number(count[1]) : null,
      running: el.classList.contains('running') || /\[\s*\*\s*\]/.test(prompt),
      errors: texts('.output_area .output_error'),
      stderr: texts('.output_area .output_stderr'),
      images: el.querySelectorAll('.output_area img[src^="data:image/png"]').length,
    });
  });
  const info = nb.kernel && nb.kernel.info_reply;
  const kernel = { kernel_idle_icon: 'idle', kernel_busy_icon: 'busy', kernel_dead_icon: 'dead' }[icon ? icon.className : ''];
  return { kernel: kernel || 'unknown', ready: !!(info && Object.keys(info).length), cells };
}

// The same, read from JupyterLab's notebook panel (its models, and the cells' own nodes: with
// windowing, cells out of view are not in the document, but their widgets and outputs exist).
// Runs in the page.
function labState(added) {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  let stored = 0, code = 0;
  const cells = [];
  panel.content.widgets.forEach((cell) => {
    const model = cell.model;
    const tags = (model.getMetadata ? model.getMetadata('tags') : model.metadata.get('tags')) || [];
    const mine = tags.some((t) => added.includes(t));
    if (!mine) stored += 1;
    if (model.type !== 'code') return;
    if (!mine) code += 1;
    const text = model.sharedModel.getSource();
    const first = (text.split('\n').find((l) => l.trim()) || '').trim().slice(0, 70);
    const where = tags.includes('injected-parameters') ? `the injected-parameters cell after cell ${stored}`
      : mine ? `the self-test cell after cell ${stored} (${first})`
      : `cell ${stored} (code cell ${code}: ${first})`;
    const prompt = (cell.node.querySelector('.jp-InputPrompt') || {}).textContent || '';
    const outputs = model.outputs.toJSON();
    const joined = (t) => (Array.isArray(t) ? t.join('') : String(t || '')).trim();
    cells.push({
      where, mine,
      empty: text.trim() === '',
      count: model.executionCount === null || model.executionCount === undefined ? null : model.executionCount,
      running: /\[\s*\*\s*\]/.test(prompt),
      errors: outputs.filter((out) => out.output_type === 'error')
        .map((out) => [`${out.ename}: ${out.evalue}`, ...(out.traceback || [])].join('\n').replace(/\x1b\[[0-9;]*m/g, '')),
      stderr: outputs.filter((out) => out.output_type === 'stream' && out.name === 'stderr').map((out) => joined(out.text)).filter(Boolean),
      images: cell.node.querySelectorAll('.jp-OutputArea-output img[src^="data:image/png"]').length,
    });
  });
  const status = kernel ? kernel.status : 'unknown';
  return { kernel: ['idle', 'busy', 'dead'].includes(status) ? status : status || 'unknown', ready: !!kernel, cells };
}

function firstLines(text, n = 4) {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, n).join(' | ').slice(0, 400);
}

// What the page shows as an error: an error output, or stderr that names an exception or error.
function errorShown(cell) {
  if (cell.errors.length) return firstLines(cell.errors[0]);
  const bad = cell.stderr.find((t) => /Exception|Error:/.test(t));
  return bad ? firstLines(bad) : null;
}

async function waitFor(page, predicate, arg, timeoutMs) {
  try {
    await page.waitForFunction(predicate, arg, { timeout: timeoutMs, polling: 250 });
    return true;
  } catch (e) {
    if (e.name === 'TimeoutError') return false;
    throw e;
  }
}

async function openClassic(page, o) {
  const url = `${o.base}/notebooks/${o.notebook.split('/').map(encodeURIComponent).join('/')}?token=${o.token}`;
  say(`opening ${o.base}/notebooks/${o.notebook}`);
  const response = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
  if (!response || !response.ok()) throw new Failure(`the page ${o.notebook} answered HTTP ${response && response.status()}`);
  const loaded = await waitFor(page,
    () => !!(window.Jupyter && window.Jupyter.notebook && window.Jupyter.notebook._fully_loaded), null, 60000);
  if (!loaded) {
    const found = await page.evaluate(() => {
      if (document.querySelector('.jp-LabShell')) return 'JupyterLab';
      if (document.querySelector('.jp-NotebookPanel, #main.jp-NotebookApp, .jp-Notebook')) return 'Notebook 7';
      return `a page titled "${document.title}"`;
    });
    throw new Failure(`the page shows ${found}, not the classic Notebook 6 front end this check drives (no Jupyter.notebook within 60 s)`);
  }
  // The run edits the page; it must never be written back to notebooks/.
  await page.evaluate(() => window.Jupyter.notebook.set_autosave_interval(0));

  say('waiting for the kernel');
  const ready = () => {
    const nb = window.Jupyter.notebook, icon = document.querySelector('#kernel_indicator_icon');
    return !!(nb.kernel && nb.kernel.info_reply && Object.keys(nb.kernel.info_reply).length
      && icon && icon.className === 'kernel_idle_icon');
  };
  if (!await waitFor(page, ready, null, 60000)) {
    say('the kernel did not answer within 60 s; restarting it once, as a learner would');
    await page.evaluate(() => window.Jupyter.notebook.kernel.restart());
    if (!await waitFor(page, ready, null, 60000)) {
      throw new Failure('the kernel did not become ready within 60 s, nor 60 s after a restart');
    }
  }

  const edit = await page.evaluate(({ parameters, testCase }) => {
    const nb = window.Jupyter.notebook;
    const cells = nb.get_cells();
    let at = cells.findIndex((c) => ((c.metadata && c.metadata.tags) || []).includes('parameters'));
    const insert = (index, text, tag) => {
      const cell = nb.insert_cell_below('code', index);
      cell.set_text(text);
      cell.metadata.tags = [tag];
      return index + 1;
    };
    if (parameters) {
      if (at < 0) return 'the notebook has test parameters but no cell tagged parameters';
      at = insert(at, parameters, 'injected-parameters');
    } else if (at < 0) {
      at = cells.findIndex((c) => c.cell_type === 'code');
    }
    if (testCase === 'error') {
      insert(at, 'throw new RuntimeException("boom");', 'browser-self-test');
    } else if (testCase === 'no-chart') {
      const later = nb.get_cells().map((c, i) => [c, i]).filter(([c, i]) => i > at && c.cell_type === 'code').map(([, i]) => i);
      nb.delete_cells(later);
      insert(at, 'System.out.println("no chart in this run");', 'browser-self-test');
    }
    return null;
  }, { parameters: o.parameters || '', testCase: o.case });
  if (edit) throw new Failure(edit);

  say('Cell > Run All');
  await page.click('#celllink');
  await page.click('#run_all_cells > a');
}

// Opens the lesson in a fresh JupyterLab workspace and waits until its kernel answers;
// returns null, or what went wrong (a page that never got a working kernel connection).
async function openLabOnce(page, o) {
  // A workspace of its own, reset: no layout or open documents from an earlier session.
  const workspace = `lab-browser-check-${process.pid}-${Date.now()}`;
  const path = o.notebook.split('/').map(encodeURIComponent).join('/');
  say(`opening ${o.base}/lab/workspaces/${workspace}/tree/${o.notebook} (JupyterLab, fresh workspace)`);
  const response = await page.goto(`${o.base}/lab/workspaces/${workspace}/tree/${path}?reset&token=${o.token}`,
    { waitUntil: 'domcontentloaded', timeout: 60000 });
  if (!response || !response.ok()) throw new Failure(`the page ${o.notebook} answered HTTP ${response && response.status()}`);
  const opened = await waitFor(page, (name) => {
    const app = window.jupyterapp;
    const panel = app && app.shell && app.shell.currentWidget;
    return !!(panel && panel.context && panel.context.path === name && panel.content && panel.sessionContext);
  }, o.notebook, 90000);
  if (!opened) {
    const found = await page.evaluate(() => {
      if (document.querySelector('#notebook-container') || window.Jupyter) return 'the classic Notebook page';
      if (!document.querySelector('.jp-LabShell')) return `a page titled "${document.title}"`;
      if (!window.jupyterapp) return 'JupyterLab without window.jupyterapp (start it with LabApp.expose_app_in_browser)';
      const w = window.jupyterapp.shell.currentWidget;
      return `JupyterLab showing ${w ? `"${w.title.label}"` : 'no document'}`;
    });
    throw new Failure(`the page shows ${found}, not ${o.notebook} open in JupyterLab within 90 s`);
  }

  // The run edits the page; it must never be written back to notebooks/ (autosave included).
  await page.evaluate(() => {
    const context = window.jupyterapp.shell.currentWidget.context;
    const refuse = async () => { window.labCheckRefusedSaves = (window.labCheckRefusedSaves || 0) + 1; };
    context.save = refuse;
    context.saveAs = refuse;
  });

  say('waiting for the kernel');
  // Every wait is bounded: a promise of the page that never settles must not hang the check.
  const ready = async () => page.evaluate(async () => {
    const within = (promise, ms) => Promise.race([promise.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);
    const ctx = window.jupyterapp.shell.currentWidget.sessionContext;
    if (!await within(ctx.ready, 45000)) {
      const dialog = document.querySelector('.jp-Dialog');
      return `the notebook's session was not ready within 45 s${dialog ? ` (a dialog shows: ${dialog.innerText.replace(/\s+/g, ' ').slice(0, 200)})` : ''}`;
    }
    const kernel = ctx.session && ctx.session.kernel;
    if (!kernel) return 'the session has no kernel';
    if (!await within(kernel.info, 45000)) {
      return `the kernel did not answer within 45 s (its connection: ${kernel.connectionStatus}, status: ${kernel.status})`;
    }
    return kernel.name === 'java' ? null : `the kernel is ${kernel.name}, not java`;
  });
  return ready();
}

async function openLab(page, o) {
  let problem = await openLabOnce(page, o);
  if (problem) {
    // A learner whose page never connects reloads it; so do we, once, in a new workspace.
    say(`${problem}; reloading the page once, as a learner would`);
    problem = await openLabOnce(page, o);
  }
  if (problem) throw new Failure(`JupyterLab's page got no working kernel: ${problem}, twice`);

  const edit = await page.evaluate(({ parameters, testCase }) => {
    const panel = window.jupyterapp.shell.currentWidget;
    const shared = panel.content.model.sharedModel;
    const tagsOf = (i) => (shared.cells[i].getMetadata('tags') || []);
    let at = shared.cells.findIndex((c, i) => tagsOf(i).includes('parameters'));
    const insert = (index, text, tag) => {
      shared.insertCell(index + 1, { cell_type: 'code', source: text, metadata: { tags: [tag] } });
      return index + 1;
    };
    if (parameters) {
      if (at < 0) return 'the notebook has test parameters but no cell tagged parameters';
      at = insert(at, parameters, 'injected-parameters');
    } else if (at < 0) {
      at = shared.cells.findIndex((c) => c.cell_type === 'code');
    }
    if (testCase === 'error') {
      insert(at, 'throw new RuntimeException("boom");', 'browser-self-test');
    } else if (testCase === 'no-chart') {
      for (let i = shared.cells.length - 1; i > at; i -= 1) {
        if (shared.cells[i].cell_type === 'code') shared.deleteCell(i);
      }
      insert(at, 'System.out.println("no chart in this run");', 'browser-self-test');
    }
    return null;
  }, { parameters: o.parameters || '', testCase: o.case });
  if (edit) throw new Failure(edit);

  say('Run > Run All Cells (notebook:run-all-cells)');
  // Not awaited: the command's promise settles only when every cell has run, and the wait
  // below, with its time limit, is what watches the run.
  await page.evaluate(() => {
    window.jupyterapp.commands.execute('notebook:run-all-cells').catch((e) => { window.labCheckRunAllFailed = String(e); });
  });
}

// Brings every cell that has an image into view, so that the windowed notebook renders it,
// before the charts are counted. Runs in the page.
async function renderImagesLab() {
  const panel = window.jupyterapp.shell.currentWidget;
  const nb = panel.content;
  let first = -1;
  for (let i = 0; i < nb.widgets.length; i += 1) {
    const outputs = nb.widgets[i].model.type === 'code' ? nb.widgets[i].model.outputs.toJSON() : [];
    if (outputs.some((out) => out.data && out.data['image/png'])) {
      if (first < 0) first = i;
      await nb.scrollToItem(i, 'center');
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  if (first >= 0) await nb.scrollToItem(first, 'start');
  return first;
}

async function runLesson(page, o) {
  const lab = o.frontend === 'lab';
  await (lab ? openLab(page, o) : openClassic(page, o));
  const read = () => (lab ? page.evaluate(labState, ADDED) : page.evaluate(pageState, ADDED));
  const limit = Number(o.timeout) * 1000;
  const runStart = Date.now();
  let state, settled = 0, lastDone = -1, lastSaid = Date.now();
  for (;;) {
    state = await read();
    const code = state.cells.filter((c) => !c.empty);
    const done = code.filter((c) => c.count !== null && !c.running).length;
    const running = code.some((c) => c.running);
    if (state.kernel === 'dead') throw new Failure('the kernel died during the run');
    // Finished: nothing runs, the kernel is idle, and every cell ran or an error stopped the run.
    const finished = !running && state.kernel === 'idle'
      && (done === code.length || code.some((c) => errorShown(c)));
    settled = finished ? settled + 1 : 0;
    if (settled >= 3) break;
    if (done !== lastDone && (Date.now() - lastSaid > 5000 || done === code.length)) {
      say(`${done} of ${code.length} code cells done (${((Date.now() - runStart) / 1000).toFixed(0)} s)`);
      lastDone = done;
      lastSaid = Date.now();
    }
    if (Date.now() - runStart > limit) {
      const stuck = code.find((c) => c.running) || code.find((c) => c.count === null);
      throw new Failure(`${stuck ? stuck.where : 'a code cell'} had not finished after ${o.timeout} s `
        + `(${done} of ${code.length} code cells done)`);
    }
    await page.waitForTimeout(250);
  }
  if (lab) {
    await page.evaluate(renderImagesLab);
    state = await read();
  }
  return state;
}

function verdict(state) {
  const code = state.cells.filter((c) => !c.empty);
  const codeCells = code.filter((c) => !c.mine).length;
  const charts = code.reduce((n, c) => n + c.images, 0);
  const failing = code.find((c) => errorShown(c));
  if (failing) return { status: 'fail', message: `${failing.where} shows an error: ${errorShown(failing)}`, codeCells, charts };
  const missed = code.find((c) => c.count === null);
  if (missed) return { status: 'fail', message: `${missed.where} did not run (no execution count)`, codeCells, charts };
  if (!charts) {
    return { status: 'fail', codeCells, charts,
      message: `no chart appeared: no output shows an <img> with a data:image/png source (${codeCells} code cells ran)` };
  }
  return { status: 'pass', message: `${codeCells} code cells, ${charts} chart(s)`, codeCells, charts };
}

async function screenshot(page, path, frontend) {
  mkdirSync(dirname(path), { recursive: true });
  if (frontend === 'lab') {
    // JupyterLab lays itself out in the viewport and scrolls inside: shoot a tall viewport.
    await page.setViewportSize({ width: 1280, height: 2400 }).catch(() => {});
    await page.waitForTimeout(500);
    await page.screenshot({ path, timeout: 60000 });
    return;
  }
  // Notebook 6 scrolls inside #site, so a full-page shot needs the page to grow to its content.
  await page.addStyleTag({ content: `html, body { height: auto !important; overflow: visible !important; }
    #site { height: auto !important; overflow: visible !important; }` }).catch(() => {});
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true, timeout: 60000 });
}

async function main() {
  const o = options(process.argv.slice(2));
  o.screenshot = resolve(o.screenshot);
  const require = createRequire(resolve(o.modules, 'noop.js'));
  const { chromium } = require('playwright-core');
  let browser, result;
  try {
    say(`launching ${o.chromium} headless`);
    browser = await chromium.launch({ executablePath: o.chromium, headless: true, args: CHROMIUM_ARGS, timeout: 60000 });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const refused = [];
    // Nor is JupyterLab's workspace saved (it would land in the user's ~/.jupyter).
    await context.route('**/lab/api/workspaces/**', (route) => {
      if (route.request().method() === 'GET') return route.continue();
      return route.fulfill({ status: 204, body: '' });
    });
    await context.route('**/api/contents/**', (route) => {
      const method = route.request().method();
      const path = new URL(route.request().url()).pathname;
      if (method === 'POST' && path.endsWith('/checkpoints')) {
        // JupyterLab makes a checkpoint when it opens a notebook that has none, and reports
        // the notebook unloadable if that fails: it is answered as made, and nothing is written.
        refused.push(`${method} ${path} (answered as made)`);
        return route.fulfill({ status: 201, contentType: 'application/json',
          body: JSON.stringify({ id: 'checkpoint', last_modified: new Date().toISOString() }) });
      }
      if (['PUT', 'POST', 'PATCH', 'DELETE'].includes(method)) {
        refused.push(`${method} ${path}`);
        return route.abort();
      }
      return route.continue();
    });
    const page = await context.newPage();
    page.on('dialog', (dialog) => dialog.dismiss().catch(() => {}));
    page.on('pageerror', (e) => say(`page error: ${String(e.message || e).split('\n')[0]}`));
    try {
      const state = await runLesson(page, o);
      result = verdict(state);
    } catch (e) {
      if (!(e instanceof Failure)) throw e;
      result = { status: 'fail', message: e.message, codeCells: 0, charts: 0 };
    }
    if (refused.length) say(`refused the page's writes: ${refused.join(', ')}`);
    try {
      await screenshot(page, o.screenshot, o.frontend);
    } catch (e) {
      say(`no screenshot: ${String(e.message || e).split('\n')[0]}`);
    }
  } catch (e) {
    result = { status: 'fail', message: `the browser run itself failed: ${String(e.message || e).split('\n')[0]}`,
      codeCells: 0, charts: 0 };
  } finally {
    if (browser) await browser.close().catch(() => {});
  }
  result.screenshot = o.screenshot;
  result.seconds = Number(seconds());
  say(`${result.status} after ${result.seconds} s: ${result.message}`);
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exitCode = result.status === 'pass' ? 0 : 1;
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ status: 'fail', message: `run-lesson.mjs: ${e.message}` }) + '\n');
  process.exitCode = 1;
});
