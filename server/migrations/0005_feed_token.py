from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('snug', '0004_notes')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Attendee',
            name='feed_key',
            field=fields.CharField(null=True, unique=True, max_length=64),
        ),
        ops.AddField(
            model_name='Attendee',
            name='feed_salt',
            field=fields.CharField(null=True, max_length=32),
        ),
    ]
