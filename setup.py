"""TF-Slim's image-classification library, rebuilt for TensorFlow 2.21."""

import setuptools

DEPLOY = [
  'onnx>=1.17',
  'onnxruntime>=1.20',
  'tf2onnx>=1.17',
  'ai-edge-litert>=1.2',
  'openvino>=2026.4',
  'nncf>=3.4',
]

setuptools.setup(
  name='slim-resnet',
  version='0.1.0',
  description=(
    'TF-Slim ResNet family and image-classification scripts on '
    'TensorFlow 2 (tf.compat.v1 graph mode).'
  ),
  license='Apache 2.0',
  python_requires='>=3.10',
  packages=setuptools.find_packages(
    include=['nets', 'nets.*', 'utils', 'utils.*']
  ),
  install_requires=[
    'tensorflow>=2.21,<2.22',
    'tf-keras>=2.21,<2.22',
    # TensorFlow 2.21 no longer installs TensorBoard; the demo and the docs
    # show `.venv/bin/tensorboard --logdir=...` to watch training.
    'tensorboard>=2.21,<2.22',
    'tf-slim==1.1.0',
    'numpy>=1.26',
    'absl-py>=1.4',
    'scikit-learn>=1.3',
    'pillow>=10.0',
    # .safetensors weight files (utils/convert/readers.py), numpy API.
    'safetensors>=0.4',
  ],
  extras_require={
    # Serving exports (utils/export/deploy.py): ONNX through tf2onnx,
    # ONNX Runtime (int8 quantization, evaluation, benchmark), LiteRT's
    # TFLite interpreter (TF 2.21's tf.lite.Interpreter is deprecated), and
    # OpenVINO with NNCF, its post-training int8 quantizer.
    'deploy': DEPLOY,
    'test': ['pytest>=8.0', 'pytest-timeout>=2.2', 'pytest-xdist>=3.5']
    + DEPLOY,
    # The linter of `make lint`, pinned so that every machine agrees.
    'lint': ['ruff==0.17.6'],
    'plot': ['matplotlib>=3.7'],
  },
)
