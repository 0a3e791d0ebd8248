# Copyright 2026 The TF-Slim ResNet authors. All Rights Reserved.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
# ==============================================================================
"""The serving report: every export of a checkpoint, timed and evaluated.

`run_report(ServingConfig(...))` (benchmark_networks.py --serving_report):

1. exports the checkpoint with `deploy.export_model` in every format of
   `RUNNERS` whose benchmark implementation can run here, in each of that
   implementation's precisions (bfloat16 only where the runtime computes
   in it, `Runner.computes_in`: TensorFlow with oneDNN, OpenVINO on a CPU
   with BF16; its rows run the float32 file; int8 only with a data set to
   calibrate on);
2. evaluates each export on the data set's split, when one is given
   (`evaluation.evaluate_exported`: top-1 accuracy, and the agreement of its
   top-1 classes with the reference, the float32 frozen graph);
3. times the exported files themselves in one paired run of the
   benchmark's implementations that declare their format
   (`Runner.model_format`, `grid.benchmark_paired`), at the batch size and
   at batch 1;
4. prints one table ranked by throughput and names the fastest export whose
   accuracy is at most `max_accuracy_drop` points below the reference's
   (`choose`); without data, the fastest.
"""

import collections
import contextlib
import dataclasses
import os
import sys
import typing

from absl import logging

from utils import checks
from utils.benchmark import config as bench_config
from utils.benchmark import exported_runners
from utils.benchmark import grid
from utils.benchmark import machine
from utils.benchmark import registry
from utils.benchmark import report
from utils.export import config as export_config
from utils.export import data as export_data
from utils.export import deploy

# Export format -> the benchmark implementation (registry.py) that times its
# files; its precisions are the rows.
RUNNERS = {
  cls.model_format: name
  for name, cls in registry.RUNNERS.items()
  if cls.model_format
}
REFERENCE = ('frozen', 'fp32')  # Accuracy and agreement are against it.

# One measured export (format, precision): its file and size (OpenVINO's
# .bin included), images/s at the batch size, median batch-1 ms, and the
# fractions accuracy (top-1), recall_5 and agreement (None: not measured).
Row = collections.namedtuple(
  'Row',
  'format precision model_file file_bytes images_per_sec latency_ms '
  'accuracy recall_5 agreement',
)


@dataclasses.dataclass(frozen=True)
class ServingConfig:
  """What `run_report` exports, times and evaluates.

  Attributes:
    model_name: The registered network of the checkpoint.
    checkpoint_path: A checkpoint prefix or a training directory.
    serving_dir: Where the exports go; None: 'serving' beside the checkpoint.
    batch_size: Images per timed step (batch 1 is timed too).
    max_accuracy_drop: Accuracy points (percent) the chosen export may lose
      against the reference.
    data: None, or the `config.DataConfig` of the evaluation split.
    calibration_split_name: The split of `data`'s data set whose first
      `calibration_images` images calibrate int8.
    calibration_images: See `calibration_split_name`.
    export: The `ExportConfig` of every export (batch size left dynamic).
    timing: The benchmark's `config.Timing`.
    output_json: None, or a file to append one JSON line per export to.
  """

  model_name: str
  checkpoint_path: typing.Optional[str]
  serving_dir: typing.Optional[str] = None
  batch_size: int = 32
  max_accuracy_drop: float = 0.5
  data: typing.Optional[bench_config.DataConfig] = None
  calibration_split_name: str = 'train'
  calibration_images: int = export_data.DEFAULT_CALIBRATION_IMAGES
  export: export_config.ExportConfig = export_config.ExportConfig()
  timing: bench_config.Timing = bench_config.Timing(latency_steps=100)
  output_json: typing.Optional[str] = None

  def __post_init__(self):
    if not self.checkpoint_path:
      raise ValueError(
        'The serving report exports a checkpoint: pass --checkpoint_path '
        '(a checkpoint prefix or training directory); got '
        'checkpoint_path=%r' % (self.checkpoint_path,)
      )
    checks.check_number('max_accuracy_drop', self.max_accuracy_drop, 0)
    for name in ('batch_size', 'calibration_images'):
      checks.check_positive_int(
        name, getattr(self, name), message=checks.POSITIVE_INT_NAMED
      )

  @property
  def directory(self):
    if self.serving_dir:
      return self.serving_dir
    path = self.checkpoint_path.rstrip('/')
    return os.path.join(
      path if os.path.isdir(path) else os.path.dirname(path), 'serving'
    )


def rank(rows):
  """`rows` from the highest images/s at the batch size to the lowest."""
  return sorted(rows, key=lambda row: -row.images_per_sec)


def choose(rows, reference, max_accuracy_drop):
  """The fastest of `rows` at most `max_accuracy_drop` accuracy points
  (percent) below the `reference` row; the fastest of all when the
  reference's accuracy is None (not measured). None if none qualifies."""
  if reference.accuracy is not None:
    floor = reference.accuracy - max_accuracy_drop / 100.0 - 1e-9
    rows = [r for r in rows if r.accuracy is not None and r.accuracy >= floor]
  return rank(rows)[0] if rows else None


def _name(row):
  return '%s %s' % (registry.get(RUNNERS[row.format]).runtime, row.precision)


def _percent(value):
  return '-' if value is None else '%.2f%%' % (100.0 * value)


def format_report(rows, reference, max_accuracy_drop):
  """The table of `rows` ranked by speed, then the reference and choice."""
  line = '%4s  %-20s %10s %10s %8s %9s %11s  %s'
  header = ('rank', 'runtime precision', 'throughput', 'batch-1 ms', 'top-1')
  lines = [line % (header + ('agreement', 'bytes', 'file'))]
  for i, row in enumerate(rank(rows), 1):
    lines.append(
      line
      % (
        i,
        _name(row),
        '%.1f' % row.images_per_sec,
        '-' if row.latency_ms is None else '%.3f' % row.latency_ms,
        _percent(row.accuracy),
        'reference' if row is reference else _percent(row.agreement),
        '{:,}'.format(row.file_bytes),
        os.path.basename(row.model_file),
      )
    )
  best = choose(rows, reference, max_accuracy_drop)
  choice = '%s, %.2fx the reference: %s' % (
    _name(best),
    best.images_per_sec / reference.images_per_sec,
    best.model_file,
  )
  if reference.accuracy is None:
    lines += ['Accuracy was not measured (no --dataset_dir).']
    lines += ['Fastest: ' + choice]
  else:
    lines += [
      'Reference: %s, top-1 %s.'
      % (_name(reference), _percent(reference.accuracy)),
      'Fastest within %g accuracy points of the reference: %s'
      % (max_accuracy_drop, choice),
    ]
  return '\n'.join(lines)


def plan(cfg):
  """The (format, precision) rows this install can make, reference first."""
  rows = []
  for export_format, name in RUNNERS.items():
    cls = registry.get(name)
    if cls.available():
      logging.warning('No %s rows: %s', name, cls.available())
      continue
    for precision in cls.precisions:
      if not cls.computes_in(precision):
        continue  # bfloat16 that would run in float32 here.
      if precision == 'int8' and cfg.data is None:
        logging.warning('No %s int8 row: no data to calibrate on.', name)
        continue
      rows.append((export_format, precision))
  return rows


def _calibration(cfg):
  data = cfg.data
  return export_data.Calibration(
    data.dataset_name,
    data.dataset_dir,
    cfg.calibration_split_name,
    cfg.calibration_images,
    None,  # The network's preprocessing.
  )


def _check(cfg, members, setting):
  """Checks everything that can be before the first export."""
  from utils.export import export_lib

  for export_format, precision in members:
    member = dataclasses.replace(setting, precision=precision)
    grid.check_setting(member, RUNNERS[export_format])
  grid.check_data(cfg.data)
  if cfg.data is not None:
    export_data.check_calibration(_calibration(cfg))
  if os.path.isfile(cfg.directory):
    raise ValueError(
      'serving_dir=%r is a file; give a directory' % cfg.directory
    )
  export_lib.checkpoint_values(cfg.checkpoint_path)


def _export(cfg, members):
  """{member: its export's path}."""
  files = {}
  for export_format, precision in members:
    # bfloat16 rows run the float32 file in bfloat16.
    saved = 'fp32' if precision == 'bfloat16' else precision
    if (export_format, saved) not in files:
      name = cfg.model_name + '_' + saved + deploy.EXTENSIONS[export_format]
      path = files[export_format, saved] = os.path.join(cfg.directory, name)
      deploy.export_model(
        cfg.model_name,
        cfg.checkpoint_path,
        path,
        export_format,
        exported_runners.QUANTIZE[saved],
        _calibration(cfg) if saved == 'int8' else None,
        cfg.export,
      )
    files[export_format, precision] = files[export_format, saved]
  return files


def _evaluate(cfg, files):
  """{member: (accuracy, recall_5, agreement)} of the exports on the split,
  and the number of images."""
  from utils.datasets import dataset_factory
  from utils.export import evaluation
  from utils.training import config as train_config

  data = cfg.data
  dataset = dataset_factory.get_dataset(
    data.dataset_name, data.split_name, data.dataset_dir
  )
  inputs = dataclasses.replace(
    train_config.EvalConfig.input,
    labels_offset=data.labels_offset,
    num_preprocessing_threads=data.num_preprocessing_threads,
  )
  measured = {}
  for member, path in files.items():
    result = evaluation.evaluate_exported(
      dataset,
      path,
      cfg.model_name,
      inputs,
      num_threads=cfg.timing.intra_op,
      reference_file=None if member == REFERENCE else files[REFERENCE],
      precision='bfloat16' if member[1] == 'bfloat16' else 'fp32',
    )
    metrics = result.metrics
    measured[member] = (metrics['Accuracy'], metrics['Recall_5'])
    measured[member] += (metrics.get(evaluation.AGREEMENT),)
  return measured, result.num_examples


def run_report(cfg, print_fn=print):
  """Exports, evaluates and times (module docstring); prints the report.

  Args:
    cfg: A `ServingConfig`.
    print_fn: Where the report goes (the progress is logged).

  Returns:
    The `Row`s, ranked by speed.

  Raises:
    ValueError, IOError: On bad input (network, checkpoint, data, settings),
      before anything is exported.
  """
  setting = bench_config.Setting(
    model_name=cfg.model_name,
    mode='inference',
    batch_size=cfg.batch_size,
    image_size=cfg.export.image_size,
    model_kwargs=dict(cfg.export.model_kwargs or {}),
  )
  members = plan(cfg)
  _check(cfg, members, setting)
  os.makedirs(cfg.directory, exist_ok=True)
  # The converters' progress bars go to the log, not into the report.
  with contextlib.redirect_stdout(sys.stderr):
    files = _export(cfg, members)
  data, measured, n = cfg.data, {}, 0
  if data is not None:
    measured, n = _evaluate(cfg, files)
  logging.info(
    'Timing %d exports at batch %d and 1.', len(files), cfg.batch_size
  )
  results = grid.benchmark_paired(
    [(RUNNERS[f], p, files[f, p]) for f, p in members],
    setting,
    cfg.timing,
  )
  rows = []
  for member, result in zip(members, results):
    path = files[member]
    # The exported runtimes' model_bytes count OpenVINO's .bin too.
    size = result.get('model_bytes') or os.path.getsize(path)
    ips, latency = result['images_per_sec'], result.get('latency_ms_p50')
    accuracies = measured.get(member, (None,) * 3)
    rows.append(Row(*member, path, size, ips, latency, *accuracies))
  reference = rows[members.index(REFERENCE)]
  where = 'no data'
  if cfg.data is not None:
    where = '%s %s split, %d images' % (data.dataset_name, data.split_name, n)
  print_fn(
    'Serving report of %s (%s; throughput in images/s at batch %d; %s):'
    % (cfg.model_name, cfg.checkpoint_path, cfg.batch_size, where)
  )
  print_fn(machine.format_machine(machine.describe()))
  print_fn(format_report(rows, reference, cfg.max_accuracy_drop))
  if cfg.output_json:
    chosen = choose(rows, reference, cfg.max_accuracy_drop)
    for row, result in zip(rows, results):
      result.update(row._asdict(), measurement='serving_report')
      result.update(
        max_accuracy_drop=cfg.max_accuracy_drop, chosen=row is chosen
      )
    report.write_json_lines(results, cfg.output_json)
  return rank(rows)
