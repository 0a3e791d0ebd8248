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
"""Tests for utils/benchmark/machine.py: the CPU model and matrix units read
from cpuinfo texts, and the run fields of the benchmark's JSON lines."""

import datetime
import json
import os
import re

import tensorflow.compat.v1 as tf

from utils.benchmark import machine
from utils.benchmark import report

# Two processors of an AMX machine, as Linux prints them (abridged flags).
SAPPHIRE_RAPIDS = """processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz
flags\t\t: fpu sse2 avx avx2 avx512f avx512dq avx512_vnni avx512_bf16 \
avx_vnni amx_bf16 avx512_fp16 amx_tile amx_int8

processor\t: 1
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz
flags\t\t: fpu sse2 avx avx2 avx512f
"""

ZEN3 = """processor\t: 0
vendor_id\t: AuthenticAMD
cpu family\t: 25
model\t\t: 1
model name\t: AMD EPYC 7B13
flags\t\t: fpu sse2 avx f16c avx2 vaes vpclmulqdq
"""


class MachineTest(tf.test.TestCase):
  def test_matrix_units_of_an_amx_machine(self):
    self.assertEqual(
      machine.matrix_units(SAPPHIRE_RAPIDS),
      [
        'amx_bf16',
        'amx_int8',
        'amx_tile',
        'avx512_bf16',
        'avx512_fp16',
        'avx512_vnni',
        'avx512f',
        'avx_vnni',
      ],
    )
    self.assertEqual(
      machine.cpu_model(SAPPHIRE_RAPIDS),
      'Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz',
    )

  def test_avx2_machine_has_no_matrix_units(self):
    self.assertEqual(
      machine.describe(ZEN3),
      {'cpu_model': 'AMD EPYC 7B13', 'cpu_matrix_units': []},
    )
    self.assertEqual(
      machine.format_machine(machine.describe(ZEN3)),
      'cpu: AMD EPYC 7B13; matrix units: none',
    )

  def test_flag_names_match_whole_words(self):
    # 'avx512f' must not be read from 'avx512fp16' or 'xavx512f'.
    text = 'flags\t: avx512fp16 xavx512f avx512_vnni\n'
    self.assertEqual(machine.matrix_units(text), ['avx512_vnni'])
    self.assertIsNone(machine.cpu_model(text))

  def test_command_line_is_relative_to_the_source(self):
    root = os.path.join(os.sep, 'src', 'project')
    self.assertEqual(
      machine.command_line(
        [os.path.join(root, 'benchmark_networks.py'), '--mode=train', 'a b'],
        root=root,
      ),
      "python benchmark_networks.py --mode=train 'a b'",
    )
    self.assertEqual(
      machine.command_line(['/elsewhere/x.py'], root=root),
      'python /elsewhere/x.py',
    )

  def test_commit_outside_a_checkout_is_none(self):
    self.assertIsNone(machine.source_commit(self.get_temp_dir()))

  def test_run_fields(self):
    now = datetime.datetime(
      2026,
      3,
      1,
      13,
      4,
      5,
      123456,
      tzinfo=datetime.timezone(datetime.timedelta(hours=2)),
    )
    fields = machine.run_fields(
      ['benchmark_networks.py', '--paired'], SAPPHIRE_RAPIDS, now
    )
    self.assertEqual(
      sorted(fields),
      [
        'cpu_matrix_units',
        'cpu_model',
        'run_command',
        'run_commit',
        'run_date',
      ],
    )
    self.assertEqual(fields['run_date'], '2026-03-01T11:04:05Z')
    self.assertEqual(
      fields['run_command'], 'python benchmark_networks.py --paired'
    )
    self.assertIn('amx_bf16', fields['cpu_matrix_units'])
    # This test runs from the project's git checkout.
    self.assertRegex(fields['run_commit'] or '', r'^[0-9a-f]{4,}$')

  def test_json_lines_carry_the_run_fields(self):
    path = os.path.join(self.get_temp_dir(), 'out', 'b.jsonl')
    fields = machine.run_fields(['x.py'], ZEN3)
    report.write_json_lines([{'images_per_sec': 2.0}], path, fields)
    report.write_json_lines([{'images_per_sec': 3.0}], path)
    with open(path) as f:
      first, second = [json.loads(line) for line in f]
    self.assertEqual(first, dict(fields, images_per_sec=2.0))
    self.assertEqual(second['cpu_model'], machine.describe()['cpu_model'])
    self.assertTrue(
      re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$', second['run_date'])
    )

  def test_table_names_the_machine_beside_the_peaks(self):
    table = report.format_table(
      [], {'fp32': 100.0}, machine.describe(SAPPHIRE_RAPIDS)
    ).splitlines()
    self.assertEqual(
      table[0],
      'cpu: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz; matrix units: '
      'amx_bf16 amx_int8 amx_tile avx512_bf16 avx512_fp16 avx512_vnni '
      'avx512f avx_vnni',
    )
    self.assertEqual(
      table[-1],
      'matmul peak (GFLOP/s): fp32 100.0; matrix units: amx_bf16 amx_int8 '
      'amx_tile avx512_bf16 avx512_fp16 avx512_vnni avx512f avx_vnni',
    )
    self.assertEqual(
      report.format_table([], {'fp32': 1.0}, machine.describe(ZEN3)).split(
        '\n'
      )[-1],
      'matmul peak (GFLOP/s): fp32 1.0; matrix units: none',
    )


if __name__ == '__main__':
  tf.test.main()
