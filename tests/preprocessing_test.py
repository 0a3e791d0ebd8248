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
"""Tests for utils/preprocessing: shapes, dtypes and value ranges of each
preprocessing in training and evaluation, hand-computed outputs, and the
factory's name resolution and errors."""

import itertools
import sys
import types
from unittest import mock

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

from utils.preprocessing import caffe_preprocessing
from utils.preprocessing import cifar_preprocessing
from utils.preprocessing import inception_preprocessing
from utils.preprocessing import preprocessing_factory
from utils.preprocessing import torchvision_preprocessing
from utils.preprocessing import vgg_preprocessing

_VGG_MEANS = np.array([123.68, 116.78, 103.94], np.float32)
_LUMA = np.array([0.2989, 0.5870, 0.1140], np.float32)


def setUpModule():
  tf.disable_eager_execution()


def random_image(shape, seed=0):
  return np.random.RandomState(seed).randint(0, 256, shape).astype(np.uint8)


def standardize(x):
  """numpy per-image standardization, as documented by TensorFlow."""
  x = x.astype(np.float64)
  return (x - x.mean()) / max(x.std(), 1.0 / np.sqrt(x.size))


def position_image(height, width):
  """A float32 [height, width, 3] image worth i * width + j at pixel (i, j).

  No two windows of it are equal, mirrored or not, so a crop tells where it
  was taken and whether it was flipped.
  """
  values = np.arange(height * width, dtype=np.float32).reshape(height, width)
  return np.repeat(values[:, :, None], 3, axis=2)


def find_windows(image, crop, atol=1e-3):
  """The windows of `image` equal to `crop` or to its mirror.

  Returns:
    A list of (top, left, flipped) tuples: `crop` equals
    image[top:top + h, left:left + w], mirrored left-right when `flipped`.
  """
  windows = np.lib.stride_tricks.sliding_window_view(image, crop.shape)[:, :, 0]
  found = []
  for flipped in (False, True):
    target = crop[:, ::-1] if flipped else crop
    error = np.abs(windows - target).max(axis=(2, 3, 4))
    found += [(top, left, flipped) for top, left in np.argwhere(error <= atol)]
  return found


def _op_types(graph):
  """The op types of `graph`, including those in its functions (branches)."""
  graph_def = graph.as_graph_def()
  types = {node.op for node in graph_def.node}
  for function in graph_def.library.function:
    types.update(node.op for node in function.node_def)
  return types


def run_per_seed(build, seeds=range(8)):
  """sess.run(build()) in a fresh graph seeded with each of `seeds`."""
  values = []
  for seed in seeds:
    with tf.Graph().as_default():
      tf.set_random_seed(seed)
      output = build()
      with tf.Session() as sess:
        values.append(sess.run(output))
  return values


def _shape_cases():
  # Inputs: 8x8 digits and 28x28 MNIST (greyscale), a small and a large
  # colour image; outputs: CIFAR size, a non-square size and 224.
  inputs = {
    'digits': (8, 8, 1),
    'mnist': (28, 28, 1),
    'cifar': (32, 32, 3),
    'photo': (75, 50, 3),
  }
  outputs = {'32': (32, 32), '24x40': (24, 40), '224': (224, 224)}
  for name, training, (in_name, in_shape), (
    out_name,
    out_size,
  ) in itertools.product(
    preprocessing_factory.preprocessing_names(),
    (True, False),
    sorted(inputs.items()),
    sorted(outputs.items()),
  ):
    yield (
      '%s_%s_%s_to_%s'
      % (name, 'train' if training else 'eval', in_name, out_name),
      name,
      training,
      in_shape,
      out_size,
    )


class PreprocessingShapeTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(*_shape_cases())
  def test_shape_dtype_and_range(self, name, is_training, in_shape, out_size):
    with tf.Graph().as_default():
      tf.set_random_seed(0)
      fn = preprocessing_factory.get_preprocessing(name, is_training)
      output = fn(tf.constant(random_image(in_shape)), *out_size)
      self.assertEqual([out_size[0], out_size[1], 3], output.shape.as_list())
      self.assertEqual(tf.float32, output.dtype)
      with self.session() as sess:
        value = sess.run(output)
    self.assertEqual(tuple(out_size) + (3,), value.shape)
    if name == 'vgg':
      self.assertAllInRange(
        value, -_VGG_MEANS.max() - 1e-3, 255.0 - _VGG_MEANS.min() + 1e-3
      )
    elif name == 'inception':
      self.assertAllInRange(value, -1.0, 1.0)
    elif name == 'caffe':
      means = np.array(caffe_preprocessing.BGR_MEANS)
      self.assertAllInRange(
        value, -means.max() - 1e-3, 255.0 - means.min() + 1e-3
      )
    elif name == 'torchvision':
      mean = np.array(torchvision_preprocessing.MEAN)
      std = np.array(torchvision_preprocessing.STD)
      self.assertAllInRange(
        value, np.min(-mean / std) - 1e-4, np.max((1 - mean) / std) + 1e-4
      )
    else:
      self.assertNear(0.0, value.mean(), 1e-4)
      self.assertNear(1.0, value.std(), 1e-3)

  @parameterized.named_parameters(
    ('%s_%s' % (name, 'train' if training else 'eval'), name, training)
    for name in preprocessing_factory.preprocessing_names()
    for training in (True, False)
  )
  def test_grayscale_output_has_one_channel(self, name, is_training):
    with tf.Graph().as_default():
      fn = preprocessing_factory.get_preprocessing(
        name, is_training, use_grayscale=True
      )
      output = fn(tf.constant(random_image((28, 28, 1))), 32, 32)
      self.assertEqual([32, 32, 1], output.shape.as_list())
      with self.session() as sess:
        self.assertEqual((32, 32, 1), sess.run(output).shape)

  @parameterized.named_parameters(
    ('%s_%s' % (name, channels), name, channels)
    for name in preprocessing_factory.preprocessing_names()
    for channels in (1, 3)
  )
  def test_dynamic_shape_input(self, name, channels):
    with tf.Graph().as_default():
      image = tf.placeholder(tf.uint8, [None, None, None])
      output = preprocessing_factory.get_preprocessing(name, True)(
        image, 16, 20
      )
      self.assertEqual([16, 20, 3], output.shape.as_list())
      with self.session() as sess:
        value = sess.run(output, {image: random_image((9, 13, channels))})
    self.assertEqual((16, 20, 3), value.shape)

  @parameterized.named_parameters(
    ('%s' % name, name) for name in preprocessing_factory.preprocessing_names()
  )
  def test_evaluation_is_deterministic_and_training_is_random(self, name):
    with tf.Graph().as_default():
      tf.set_random_seed(0)
      image = tf.constant(random_image((60, 80, 3)))
      evaluated = preprocessing_factory.get_preprocessing(name, False)(
        image, 32, 32
      )
      trained = preprocessing_factory.get_preprocessing(name, True)(
        image, 32, 32
      )
      with self.session() as sess:
        eval_runs = [sess.run(evaluated) for _ in range(2)]
        train_runs = [sess.run(trained) for _ in range(4)]
    self.assertAllEqual(eval_runs[0], eval_runs[1])
    self.assertTrue(
      any(not np.array_equal(train_runs[0], run) for run in train_runs[1:])
    )


class VggTest(tf.test.TestCase):
  def test_eval_is_central_crop_minus_means(self):
    # The smaller side is already 256, so the resize is the identity and the
    # output is the central 224x224 window: rows 16..239, columns 38..261.
    image = random_image((256, 300, 3))
    with tf.Graph().as_default():
      output = vgg_preprocessing.preprocess_image(tf.constant(image), 224, 224)
      with self.session() as sess:
        value = sess.run(output)
    expected = image[16:240, 38:262].astype(np.float32) - _VGG_MEANS
    self.assertAllClose(expected, value, atol=1e-4, rtol=1e-4)

  def test_grayscale_subtracts_luma_of_means(self):
    image = random_image((256, 256, 3))
    with tf.Graph().as_default():
      output = vgg_preprocessing.preprocess_image(
        tf.constant(image), 256, 256, use_grayscale=True
      )
      with self.session() as sess:
        value = sess.run(output)
    luma = image.astype(np.float32) @ _LUMA
    self.assertAllClose(
      luma[:, :, None] - _VGG_MEANS @ _LUMA, value, atol=1e-3, rtol=1e-4
    )

  def test_train_crop_comes_from_scaled_image(self):
    image = position_image(40, 30)

    def crops(side_min, side_max):
      return [
        value + _VGG_MEANS
        for value in run_per_seed(
          lambda: vgg_preprocessing.preprocess_image(
            tf.constant(image),
            24,
            20,
            is_training=True,
            resize_side_min=side_min,
            resize_side_max=side_max,
          )
        )
      ]

    # Smaller side kept at 30 (the resize is the identity): each output is
    # one 24x20 window of the image, mirrored or not; the seeds pick
    # different windows and both orientations.
    windows = []
    for crop in crops(30, 30):
      found = find_windows(image, crop)
      self.assertLen(found, 1)
      windows += found
    self.assertGreater(len({(top, left) for top, left, _ in windows}), 1)
    self.assertCountEqual([False, True], {flip for _, _, flip in windows})

    # Smaller side random in [30, 33]: each output is a window of the image
    # resized (bilinearly, as resize_images) to smaller side s, for one s of
    # the range, and the seeds draw more than one s.
    with tf.Graph().as_default(), self.session() as sess:
      scaled = {
        side: sess.run(
          tf.image.resize_images(image, [int(round(40 * side / 30.0)), side])
        )
        for side in range(30, 34)
      }
    sides = []
    for crop in crops(30, 33):
      found = [side for side in scaled if find_windows(scaled[side], crop)]
      self.assertLen(found, 1)
      sides += found
    self.assertGreater(len(set(sides)), 1)

  def test_bad_resize_range(self):
    with tf.Graph().as_default():
      with self.assertRaisesRegex(
        ValueError, 'resize_side_min <= resize_side_max; got 300 and 256'
      ):
        vgg_preprocessing.preprocess_image(
          tf.zeros([8, 8, 3], tf.uint8),
          8,
          8,
          resize_side_min=300,
          resize_side_max=256,
        )


class ImportedWeightsPreprocessingTest(tf.test.TestCase):
  """The normalisations of converted torchvision and Keras weights."""

  def test_torchvision_eval_is_central_crop_normalised(self):
    # Smaller side 256 already (256 = 224 / (224 / 256)): crop only.
    image = random_image((256, 300, 3))
    with tf.Graph().as_default():
      output = torchvision_preprocessing.preprocess_image(
        tf.constant(image), 224, 224
      )
      with self.session() as sess:
        value = sess.run(output)
    crop = image[16:240, 38:262].astype(np.float32) / 255.0
    expected = (crop - np.array(torchvision_preprocessing.MEAN)) / np.array(
      torchvision_preprocessing.STD
    )
    self.assertAllClose(expected, value, atol=1e-5, rtol=1e-5)

  def test_torchvision_train_of_constant_image(self):
    with tf.Graph().as_default():
      tf.set_random_seed(0)
      output = torchvision_preprocessing.preprocess_image(
        tf.constant(np.full((40, 30, 3), 51, np.uint8)),
        24,
        24,
        is_training=True,
      )
      with self.session() as sess:
        value = sess.run(output)
    expected = (0.2 - np.array(torchvision_preprocessing.MEAN)) / np.array(
      torchvision_preprocessing.STD
    )
    self.assertAllClose(
      np.broadcast_to(expected, value.shape), value, atol=1e-5
    )

  def test_bad_crop_fraction(self):
    with tf.Graph().as_default():
      with self.assertRaisesRegex(
        ValueError,
        r'crop_fraction must be in \(0, 1\]; '
        'got 1.5',
      ):
        torchvision_preprocessing.preprocess_image(
          tf.zeros([8, 8, 3], tf.uint8), 8, 8, crop_fraction=1.5
        )

  def test_caffe_is_bgr_minus_keras_means(self):
    image = random_image((256, 300, 3))
    with tf.Graph().as_default():
      output = caffe_preprocessing.preprocess_image(
        tf.constant(image), 224, 224
      )
      with self.session() as sess:
        value = sess.run(output)
    # keras.applications.resnet.preprocess_input: RGB -> BGR, minus these.
    crop = image[16:240, 38:262, ::-1].astype(np.float32)
    self.assertAllClose(
      crop - np.array([103.939, 116.779, 123.68]), value, atol=1e-4, rtol=1e-4
    )


class InceptionTest(tf.test.TestCase):
  def test_eval_scales_to_minus_one_one(self):
    # A constant 51 maps to (51 / 255 - 0.5) * 2 = -0.6 whatever the crop.
    with tf.Graph().as_default():
      output = inception_preprocessing.preprocess_image(
        tf.constant(np.full((50, 70, 3), 51, np.uint8)), 299, 299
      )
      with self.session() as sess:
        value = sess.run(output)
    self.assertAllClose(np.full((299, 299, 3), -0.6), value, atol=1e-5)

  def test_eval_central_crop(self):
    # 16x16 input, central_fraction 0.5: rows and columns 4..11 are kept,
    # and resizing 8x8 to 8x8 is the identity.
    image = random_image((16, 16, 3))
    with tf.Graph().as_default():
      output = inception_preprocessing.preprocess_image(
        tf.constant(image), 8, 8, central_fraction=0.5
      )
      with self.session() as sess:
        value = sess.run(output)
    expected = (image[4:12, 4:12] / 255.0 - 0.5) * 2.0
    self.assertAllClose(expected, value, atol=1e-5)

  def test_train_slow_mode_and_bounding_box(self):
    height, width = 40, 60
    box = (0.1, 0.1, 0.6, 0.5)  # ymin, xmin, ymax, xmax: 20 x 24 pixels.
    box_rows = range(round(box[0] * height), round(box[2] * height))
    box_columns = range(round(box[1] * width), round(box[3] * width))
    for fast_mode in (True, False):
      with tf.Graph().as_default() as graph:
        tf.set_random_seed(0)
        output = inception_preprocessing.preprocess_image(
          tf.constant(random_image((height, width, 3))),
          299,
          299,
          is_training=True,
          fast_mode=fast_mode,
          bbox=tf.constant([[box]], tf.float32),
        )
        (sample,) = [
          op
          for op in graph.get_operations()
          if op.type.startswith('SampleDistortedBoundingBox')
        ]
        # The random choices: resize method and colour-distortion order.
        choices = [
          op.inputs[0]
          for op in graph.get_operations()
          if op.type in ('Case', 'StatelessCase')
        ]
        with self.session() as sess:
          runs = [
            sess.run([output, sample.outputs[0], sample.outputs[1], choices])
            for _ in range(16)
          ]
      op_types = _op_types(graph)
      slow_ops = {
        'AdjustHue',
        'AdjustContrastv2',
        'ResizeNearestNeighbor',
        'ResizeBicubic',
        'ResizeArea',
      }
      if fast_mode:
        self.assertEmpty(slow_ops & op_types)
      else:
        self.assertContainsSubset(slow_ops, op_types)
      # Fast: one choice among 2 colour orders. Slow: also one among 4
      # resize methods, and the colour orders are 4. The runs take several
      # branches of each.
      self.assertLen(choices, 1 if fast_mode else 2)
      for branches in zip(*[run[3] for run in runs]):
        self.assertGreater(len(set(branches)), 1)
      for value, begin, size, _ in runs:
        self.assertEqual((299, 299, 3), value.shape)
        self.assertAllInRange(value, -1.0, 1.0)
        # The crop holds at least min_object_covered = 10% of the box.
        rows = range(begin[0], begin[0] + size[0])
        columns = range(begin[1], begin[1] + size[1])
        covered = len(set(rows) & set(box_rows)) * len(
          set(columns) & set(box_columns)
        )
        self.assertGreaterEqual(covered, 0.1 * len(box_rows) * len(box_columns))

  def test_bad_central_fraction(self):
    with tf.Graph().as_default():
      with self.assertRaisesRegex(
        ValueError,
        r'central_fraction must be in '
        r'\(0, 1\] or None; got 1.5',
      ):
        inception_preprocessing.preprocess_image(
          tf.zeros([8, 8, 3], tf.uint8), 8, 8, central_fraction=1.5
        )


class CifarTest(tf.test.TestCase):
  def test_eval_is_standardized_image(self):
    image = random_image((32, 32, 3))
    with tf.Graph().as_default():
      output = cifar_preprocessing.preprocess_image(tf.constant(image), 32, 32)
      with self.session() as sess:
        value = sess.run(output)
    self.assertAllClose(standardize(image), value, atol=1e-4)

  def test_train_without_padding_is_image_or_its_mirror(self):
    image = random_image((32, 32, 3))
    expected = standardize(image)
    values = run_per_seed(
      lambda: cifar_preprocessing.preprocess_image(
        tf.constant(image), 32, 32, is_training=True, padding=0
      )
    )
    unflipped = [v for v in values if np.allclose(expected, v, atol=1e-4)]
    flipped = [
      v for v in values if np.allclose(expected[:, ::-1], v, atol=1e-4)
    ]
    # Every output is one of the two, and the seeds give both.
    self.assertLen(values, len(unflipped) + len(flipped))
    self.assertNotEmpty(unflipped)
    self.assertNotEmpty(flipped)
    # The flip is the mirror of the unflipped output (up to the round-off of
    # the standardization's sums, which add the pixels in another order).
    self.assertAllClose(unflipped[0][:, ::-1], flipped[0], atol=1e-6, rtol=0)

  def test_train_padded_crop_is_shifted_image(self):
    # After a zero padding of 4 and a random 32x32 crop, the output is the
    # standardized window of the padded image at one of 9 x 9 offsets,
    # mirrored or not (1 + position, so that no pixel is 0 but the padding).
    image = position_image(32, 32) + 1.0
    padded = np.pad(image, [[4, 4], [4, 4], [0, 0]])
    windows = []
    for value in run_per_seed(
      lambda: cifar_preprocessing.preprocess_image(
        tf.constant(image), 32, 32, is_training=True
      )
    ):
      found = [
        (y, x, flip)
        for y in range(9)
        for x in range(9)
        for flip in (False, True)
        if np.allclose(
          standardize(padded[y : y + 32, x : x + 32][:, :: -1 if flip else 1]),
          value,
          atol=1e-4,
        )
      ]
      self.assertLen(found, 1)
      windows += found
    self.assertGreater(len({(y, x) for y, x, _ in windows}), 1)
    self.assertCountEqual([False, True], {flip for _, _, flip in windows})

  def test_bad_padding(self):
    with tf.Graph().as_default():
      with self.assertRaisesRegex(
        ValueError, 'padding must be a non-negative integer; got -1'
      ):
        cifar_preprocessing.preprocess_image(
          tf.zeros([8, 8, 3], tf.uint8), 8, 8, padding=-1
        )


class PreprocessingFactoryTest(tf.test.TestCase, parameterized.TestCase):
  def test_names(self):
    self.assertEqual(
      ['caffe', 'cifar', 'inception', 'torchvision', 'vgg'],
      preprocessing_factory.preprocessing_names(),
    )

  def test_unknown_name(self):
    with self.assertRaisesRegex(
      ValueError,
      "Unknown preprocessing 'lenet'; known preprocessing "
      'names: caffe, cifar, inception, torchvision, vgg',
    ):
      preprocessing_factory.get_preprocessing('lenet')

  def _fake_nets_factory(self, mapping):
    def default_preprocessing(name):
      if name not in mapping:
        raise ValueError('Unknown network %r' % name)
      return mapping[name]

    module = types.ModuleType('nets.nets_factory')
    module.default_preprocessing = default_preprocessing
    return mock.patch.dict(sys.modules, {'nets.nets_factory': module})

  def test_network_name_resolves_through_nets_factory(self):
    with self._fake_nets_factory(
      {'resnet_v1_50': 'vgg', 'resnet_cifar_20': 'cifar'}
    ):
      fn = preprocessing_factory.get_preprocessing('resnet_v1_50')
      self.assertEqual('vgg', fn.preprocessing_name)
      self.assertEqual(
        'cifar',
        preprocessing_factory.resolve_preprocessing_name('resnet_cifar_20'),
      )
      with self.assertRaisesRegex(ValueError, "Unknown preprocessing 'vgg_99'"):
        preprocessing_factory.get_preprocessing('vgg_99')

  def test_nets_factory_mapping_to_unknown_preprocessing(self):
    with self._fake_nets_factory({'odd_net': 'lenet'}):
      with self.assertRaisesRegex(
        ValueError,
        "maps network 'odd_net' to preprocessing 'lenet', which "
        'is not one of caffe, cifar, inception, torchvision, vgg',
      ):
        preprocessing_factory.get_preprocessing('odd_net')

  def test_every_registered_network_resolves(self):
    from nets import nets_factory

    names = sorted(nets_factory.networks_map)
    self.assertIn('resnet_v1_50', names)
    for name in names:
      with self.subTest(network=name):
        fn = preprocessing_factory.get_preprocessing(name, is_training=True)
        self.assertEqual(
          nets_factory.default_preprocessing(name), fn.preprocessing_name
        )
        self.assertIn(
          fn.preprocessing_name, preprocessing_factory.preprocessing_names()
        )

  def test_kwargs_are_forwarded(self):
    image = random_image((10, 10, 3))
    with tf.Graph().as_default():
      fn = preprocessing_factory.get_preprocessing('vgg')
      # resize_side_min=8 resizes the whole image to 8x8; the default (256)
      # would crop the centre of a 256x256 resize.
      output = fn(
        tf.constant(image), 8, 8, resize_side_min=8, resize_side_max=8
      )
      direct = vgg_preprocessing.preprocess_image(
        tf.constant(image), 8, 8, resize_side_min=8
      )
      default = fn(tf.constant(image), 8, 8)
      self.assertEqual([8, 8, 3], output.shape.as_list())
      with self.assertRaisesRegex(TypeError, 'fast_mode'):
        fn(tf.zeros([10, 10, 3], tf.uint8), 8, 8, fast_mode=True)
      with self.session() as sess:
        output, direct, default = sess.run([output, direct, default])
    self.assertAllEqual(direct, output)
    self.assertNotAllClose(default, output)

  @parameterized.named_parameters(
    ('zero_height', (0, 8), 'output_height must be a positive integer; got 0'),
    (
      'float_width',
      (8, 8.0),
      'output_width must be a positive integer; got 8.0',
    ),
  )
  def test_bad_output_size(self, size, regex):
    for name in preprocessing_factory.preprocessing_names():
      with tf.Graph().as_default():
        with self.assertRaisesRegex(ValueError, regex):
          preprocessing_factory.get_preprocessing(name)(
            tf.zeros([8, 8, 3], tf.uint8), *size
          )

  @parameterized.named_parameters(
    (
      'rank2',
      [8, 8],
      r'shape \[height, width, channels\]; got shape '
      r'\(8, 8\)',
    ),
    ('four_channels', [8, 8, 4], '1 or 3 channels; got 4'),
  )
  def test_bad_image_shape(self, shape, regex):
    for name in preprocessing_factory.preprocessing_names():
      with tf.Graph().as_default():
        with self.assertRaisesRegex(ValueError, regex):
          preprocessing_factory.get_preprocessing(name)(
            tf.zeros(shape, tf.uint8), 8, 8
          )


if __name__ == '__main__':
  tf.test.main()
