"""TF-Slim's image-classification library, rebuilt for TensorFlow 2.21."""

import setuptools

setuptools.setup(
    name='slim-resnet',
    version='0.1.0',
    description=('TF-Slim ResNet family and image-classification scripts on '
                 'TensorFlow 2 (tf.compat.v1 graph mode).'),
    license='Apache 2.0',
    python_requires='>=3.10',
    packages=setuptools.find_packages(include=['nets', 'nets.*',
                                               'utils', 'utils.*']),
    install_requires=[
        'tensorflow>=2.21,<2.22',
        'tf-keras>=2.21,<2.22',
        'tf-slim==1.1.0',
        'numpy',
        'absl-py',
        'scikit-learn',
        'pillow',
    ],
    extras_require={
        'test': ['pytest', 'pytest-timeout', 'pytest-xdist'],
        'plot': ['matplotlib'],
    },
)
