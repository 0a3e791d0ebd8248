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
"""Reading converted TFRecords, and images to write, for the data tests."""

import io

import numpy as np
from PIL import Image
import tensorflow.compat.v1 as tf


def read_examples(path):
  return [
    tf.train.Example.FromString(r) for r in tf.io.tf_record_iterator(path)
  ]


def feature(example, key):
  value = example.features.feature[key]
  return (
    list(value.bytes_list.value)
    or list(value.int64_list.value)
    or list(value.float_list.value)
  )


def decode(example):
  data = feature(example, 'image/encoded')[0]
  return np.asarray(Image.open(io.BytesIO(data)))


def smooth_image(rng, height, width, channels=3):
  """A random smooth image, so JPEG round trips stay close."""
  base = rng.randint(40, 200, size=(1, 1, channels))
  ramp = np.add.outer(np.arange(height), np.arange(width))[:, :, None]
  return np.clip(base + ramp * 2, 0, 255).astype(np.uint8)


def jpeg_bytes(image, mode=None):
  buf = io.BytesIO()
  picture = Image.fromarray(image)
  if mode:
    picture = picture.convert(mode)
  picture.save(buf, format='JPEG', quality=95)
  return buf.getvalue()
